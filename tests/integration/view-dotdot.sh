# ".." after a redirected prefix is walked as the kernel would walk it in the program's view,
# and never carries a write or a read above the bundle's root: with $WORK/host/app -> $WORK/snap
# (the app directory exists only in the bundle), $app/../x is $WORK/host/x, as it would be with
# the bundle installed, not $WORK/x beside the bundle. A symbolic link before ".." is followed
# where the program sees it (an absolute target is a path in the program's view), and a missing
# component fails as natively. Real programs: sh, cat, touch, python3. Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

app_rules r.toml
app=$WORK/host/app
for mode in seccomp ptrace; do
  rm -rf host snap written touched && mkdir -p host snap/sub snap/deep/dir
  echo "the host's file beside app" >host/hostfile
  echo "a file beside the bundle" >hostfile
  echo "bundle f" >snap/f
  echo "bundle deep f2" >snap/deep/f2
  ln -s "$app/deep/dir" snap/abs  # an absolute link, in the program's view
  ln -s deep/dir snap/rel
  r() { rd --mode $mode --log log.txt --rules r.toml "$@"; }

  r sh -c "echo data >'$app/../written'"
  expect_ok "write through .., --mode $mode"
  [[ ! -e written ]] || fail "a write through .. escaped beside the bundle, --mode $mode"
  [[ -f host/written ]] || fail "a write through .. did not land in \$WORK/host, --mode $mode: $(cat log.txt)"

  r touch "$app/sub/x/../../../touched"
  expect_status "touch through a missing component, --mode $mode" 1
  [[ ! -e touched && ! -e host/touched ]] || fail "touch through a missing component created a file, --mode $mode"
  r touch "$app/sub/../../touched"
  expect_ok "touch through .., --mode $mode"
  [[ -f host/touched && ! -e touched ]] || fail "touch through .. landed elsewhere, --mode $mode"

  r cat "$app/../hostfile"
  expect_eq "read through .. reads the host's file beside app, --mode $mode" \
    "the host's file beside app" "$OUT"
  r cat "$app/sub/../f"
  expect_eq "read through sub/.. stays in the bundle, --mode $mode" "bundle f" "$OUT"
  r cat "$app/rel/../f2"
  expect_eq "a relative link before .., --mode $mode" "bundle deep f2" "$OUT"
  r cat "$app/abs/../f2"
  expect_eq "an absolute link before .., --mode $mode" "bundle deep f2" "$OUT"
  r cat "$app/missing/../f"
  expect_status "a missing component before .., --mode $mode" 1
  [[ $ERR == *"No such file or directory"* ]] || fail "missing/..: $ERR"

  # The same through python3's os.open, and a relative path from a directory beside app.
  r python3 -c "import os; os.chdir('$WORK/host'); print(open('app/sub/../../hostfile').read(), end='')"
  expect_eq "python3, relative .., --mode $mode" "the host's file beside app" "$OUT"
done
echo "view-dotdot: ok"
