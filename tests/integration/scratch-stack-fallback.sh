# Where redirect cannot map its scratch memory (here a seccomp filter the program installed
# before it exec'd itself refuses it), rewritten strings go below the stack pointer, but never more than 928 bytes below it (a
# Go goroutine's stack guard): a short rewrite works, and a ~3 KB one fails with ENOMEM and
# says so on stderr and in --log, rather than write further down.
source "$(dirname "$0")/lib/common.bash"

short_long_rules r.toml

run "$TRACEES/no_scratch_mapping" short "$far"
expect_eq "native run" "short = short rewritten
long = long rewritten" "$OUT"
for mode in seccomp ptrace; do
  rd --mode $mode --log log --rules r.toml "$TRACEES/no_scratch_mapping" /redirect-virtual/short \
    /redirect-virtual/long
  expect_ok "--mode $mode"
  expect_eq "--mode $mode" "short = short rewritten
long = ENOMEM" "$OUT"
  [[ $ERR == *"cannot write the rewritten path"*"fails with ENOMEM"* ]] || fail "no message: $ERR"
  grep -q "cannot map redirect's scratch memory" log || fail "the failed mmap is not logged"
  grep -q "error: cannot write the rewritten path" log || fail "the failed call is not logged"
done
echo PASS
