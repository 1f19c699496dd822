# A rewritten openat from a signal handler on a small alternate signal stack (sigaltstack) that
# lies inside a larger buffer of the program's, right above 8 KiB of canary bytes, with only
# ~1 KiB free below the handler's stack pointer and a ~3 KiB rewritten path. redirect may rewrite
# it (placing the string somewhere that is not the program's memory) or fail the syscall with a
# message; it must not write the string over the program's data below the alternate stack, also
# after a later sigaltstack call that failed (ENOMEM) and so changed nothing.
source "$(dirname "$0")/lib/common.bash"

echo "original" >orig.txt
long=$WORK/$(printf 'x%.0s' {1..250})
long=$long/$(printf 'y%.0s' {1..250})
mkdir -p "$long"
target=$long$(printf '/.%.0s' {1..1200})/new.txt
echo "rewritten" >"$long/new.txt"
cat >r.toml <<TOML
# The rules name paths as the program writes them, relative ones included.
paths = "as-passed"

[[rule]]
name = "long"
syscalls = ["openat"]
match = '^orig\.txt$'
replace = '$target'
TOML

run cat "$target"
expect_eq "the ${#target}-byte target path natively" "rewritten" "$OUT"

# The second case first sets the small alternate stack, then fails to replace it by a too small
# one (ENOMEM): the first one is still the one the handler runs on.
for how in "" failed-change; do
  run "$TRACEES/altstack_canary" orig.txt ${how:+"$how"}
  expect_ok "native altstack_canary $how"
  expect_eq "native run $how" "openat = original
canary intact" "$OUT"

  rd --rules r.toml "$TRACEES/altstack_canary" orig.txt ${how:+"$how"}
  expect_ok "altstack_canary $how under redirect"
  case $OUT in
    "openat = rewritten"$'\n'"canary intact") ;;
    "openat = original"*) fail "$how: the original path passed through silently: $OUT" ;;
    "openat = E"*$'\n'"canary intact") [[ -n $ERR ]] || fail "$how: the failed call was not reported" ;;
    *) fail "$how: the program's memory below its alternate stack was overwritten: $OUT" ;;
  esac
done
echo PASS
