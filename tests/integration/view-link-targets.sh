# A link the program makes inside the bundle keeps the target the program wrote: the rule that
# moves the tree would move the target too, but inside a replacement links are followed in the
# program's view, so the link works there and readlink, realpath, `ls -l` and a copied tree show
# the program its own path, as natively. A link made outside the bundle gets the target's host
# path, since the kernel follows that one on the host. The case of CPython's own tests
# (posixpath.realpath, pathlib.resolve, shutil.copytree(symlinks=True)) with their temporary
# directory moved. ln, readlink, cat, cp -a, python3. Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

W=$WORK
cat >r.toml <<TOML
[[rule]]
name = "tmp"
syscalls = ["%file"]
match = '^$W/host(/.*)?\$'
replace = '$W/bundle\$1'
TOML

for mode in seccomp ptrace; do
  rm -rf bundle outside copy && mkdir bundle
  r() { rd --mode $mode --rules r.toml "$@"; }
  r sh -c "echo data >$W/host/a && ln -s $W/host/a $W/host/l && readlink $W/host/l && cat $W/host/l"
  expect_eq "a link made in the bundle, --mode $mode" "$W/host/a
data" "$OUT"
  expect_eq "the target stored in the bundle, --mode $mode" "$W/host/a" "$(readlink bundle/l)"
  r python3 -c "import os; print(os.path.realpath('$W/host/l'))"
  expect_eq "realpath of the link, --mode $mode" "$W/host/a" "$OUT"
  r sh -c "mkdir $W/host/d && ln -s $W/host/a $W/host/d/l && cp -a $W/host/d $W/host/e"
  expect_ok "cp -a of a tree inside the bundle, --mode $mode"
  expect_eq "the copied link, --mode $mode" "$W/host/a" "$(readlink bundle/e/l)"
  # Copied out of the bundle ("host/.." only passes through it), the link must name the host's
  # file for the kernel to follow it there.
  r sh -c "cp -a $W/host/d $W/host/../copy && cat $W/copy/l"
  expect_eq "a link copied out of the bundle, --mode $mode" "data" "$OUT"
  expect_eq "its target, --mode $mode" "$W/bundle/a" "$(readlink copy/l)"
  # Outside the bundle the kernel follows the link itself: it must name the host file.
  r sh -c "ln -s $W/host/a $W/outside && cat $W/outside"
  expect_eq "a link made outside the bundle, --mode $mode" "data" "$OUT"
  expect_eq "its target, --mode $mode" "$W/bundle/a" "$(readlink outside)"
done
echo PASS
