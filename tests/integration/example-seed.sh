# examples/seed.toml end to end in a snap-like tree, reads and writes: every tool that names
# TWO.txt (cat, ls, stat, cp, a shell redirection, busybox) gets ONE.txt, and a write to
# TWO.txt lands in ONE.txt while TWO.txt stays as it was. (seed.sh checks the basic read.)
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

snap_tree seed
cd "$SNAP_DATA"
seed_files
rules=$(example_rules seed)
two_before=$(md5sum TWO.txt)

rd --rules "$rules" -- ls -l TWO.txt
expect_ok "ls -l TWO.txt"
[[ $OUT == *" $(stat -c %s ONE.txt) "*"TWO.txt" ]] || fail "ls -l shows ONE.txt's size: $OUT"
rd --rules "$rules" -- cp TWO.txt copy.txt
expect_ok "cp TWO.txt copy.txt"
expect_eq "the copy is ONE.txt's content" "This is ONE.txt" "$(cat copy.txt)"
rd --rules "$rules" -- sh -c 'echo "appended" >>TWO.txt'
expect_ok "append to TWO.txt"
expect_eq "the append landed in ONE.txt" $'This is ONE.txt\nappended' "$(cat ONE.txt)"
if [[ -x /bin/busybox ]]; then
  rd --rules "$rules" -- /bin/busybox cat "$SNAP_DATA/TWO.txt"
  expect_ok "busybox cat \$SNAP_DATA/TWO.txt"
  expect_eq "busybox, absolute path" $'This is ONE.txt\nappended' "$OUT"
fi
expect_eq "TWO.txt is untouched" "$two_before" "$(md5sum TWO.txt)"
echo PASS
