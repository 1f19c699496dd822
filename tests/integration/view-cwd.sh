# A working directory or dirfd that a redirected chdir or open left inside a prefix rule's
# replacement is the rule's PREFIX to the program: relative names are matched as PREFIX/name, so
# `cd DIR && cmd name` decides like `cmd DIR/name` with the same rules. A later deny rule for the
# bundle's real location does not catch them, a chain A -> B, B -> C gives the same file either
# way, and ".." from there is the program's "..". sh, touch, cat, python3. Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

cat >deny.toml <<TOML
[[rule]]
name = "app"
syscalls = ["%file"]
match = '^$WORK/home/\.app(/.*)?\$'
replace = '$WORK/user-data/.app\$1'

[[rule]]
name = "bundle-is-read-only"
syscalls = ["%file"]
match = '^$WORK/user-data(/.*)?\$'
action = "deny"
errno = "EACCES"
TOML
cat >chain.toml <<TOML
[[rule]]
name = "a-to-b"
syscalls = ["%file"]
match = '^$WORK/A(/.*)?\$'
replace = '$WORK/B\$1'

[[rule]]
name = "b-to-c"
syscalls = ["%file"]
match = '^$WORK/B(/.*)?\$'
replace = '$WORK/C\$1'
TOML

for mode in seccomp ptrace; do
  rm -rf home user-data A B C && mkdir -p home user-data/.app B C
  echo "B's x" >B/x && echo "C's x" >C/x && echo "home's file" >home/hostfile
  r() { rd --mode $mode --log log.txt --rules "$@"; }

  r deny.toml touch "$WORK/home/.app/a"
  expect_ok "touch ~/.app/a, --mode $mode"
  r deny.toml sh -c "cd '$WORK/home/.app' && touch b"
  expect_ok "cd ~/.app && touch b, --mode $mode"
  [[ -f user-data/.app/a && -f user-data/.app/b ]] ||
    fail "the files are not both in the bundle, --mode $mode: $(ls -R user-data)"
  r deny.toml sh -c "cd '$WORK/home/.app' && cat ../hostfile"
  expect_eq "cd ~/.app && cat ../hostfile reads ~/hostfile, --mode $mode" "home's file" "$OUT"

  r chain.toml cat "$WORK/A/x"
  expect_eq "cat A/x, --mode $mode" "B's x" "$OUT"
  r chain.toml sh -c "cd '$WORK/A' && cat x"
  expect_eq "cd A && cat x opens the same file, --mode $mode" "B's x" "$OUT"
  r chain.toml python3 -c "import os; fd = os.open('$WORK/A', os.O_RDONLY); print(open(os.open('x', os.O_RDONLY, dir_fd=fd)).read(), end='')"
  expect_eq "openat(dirfd of A, x), --mode $mode" "B's x" "$OUT"
  r chain.toml sh -c "cd '$WORK/B' && cat x"
  expect_eq "cd B && cat x, --mode $mode" "C's x" "$OUT"
done
echo "view-cwd: ok"
