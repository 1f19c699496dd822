# A vfork child under --backend inproc shares its parent's memory, as natively: a store it makes
# before _exit is seen by the parent, for glibc's vfork() and for clone(CLONE_VM|CLONE_VFORK)
# with no stack of the child's own (Go's os/exec). The child enters the program with a frame of
# its own below the parent's, on an alternate stack of its own (inproc/vfork_child.h).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
[[ $(uname -m) == x86_64 ]] || skip "vfork_shares is x86_64 assembly"
write_bundled_file_rules r.toml

for mode in vfork clone; do
  run "$TRACEES/vfork_shares" $mode
  expect_ok "native $mode"
  native=$OUT
  [[ $native == "$mode: parent sees 4"[23]", child exit 0" ]] || fail "native $mode: $native"
  rd --backend inproc --rules r.toml "$TRACEES/vfork_shares" $mode
  expect_ok "$mode under --backend inproc ($ERR)"
  expect_eq "$mode under --backend inproc" "$native" "$OUT"
done
echo PASS
