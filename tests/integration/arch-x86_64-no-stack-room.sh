# A rewritten openat made with no writable stack below the red zone (rsp 128 bytes above an
# unmapped page): redirect cannot place the new path, so it fails that syscall (any errno) and
# logs it, and goes on. Wrong answers: redirect crashing, or the original path passing through.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

echo "original path" >orig.txt
long=$WORK/$(printf 'x%.0s' {1..200})
mkdir -p "$long"
echo "rewritten path" >"$long/new.txt"
cat >r.toml <<TOML
# The rules name paths as the program writes them, relative ones included.
paths = "as-passed"

[[rule]]
name = "edge"
syscalls = ["openat"]
match = '^orig\.txt$'
replace = '$long/new.txt'
TOML

run "$TRACEES/stack_edge_x86_64" orig.txt
expect_ok "native stack_edge_x86_64"
expect_eq "native run" "openat = original path" "$OUT"

rd --log - --rules r.toml "$TRACEES/stack_edge_x86_64" orig.txt
expect_ok "stack_edge_x86_64 under redirect"
case $OUT in
  "openat = original path") fail "the original path passed through silently" ;;
  "openat = rewritten path") echo "note: redirect found room elsewhere; rewritten" ;;
  "openat = E"*) [[ $ERR == *orig.txt* ]] || fail "the failed rewrite is not logged: $ERR" ;;
  *) fail "unexpected output: $OUT" ;;
esac
echo PASS
