# A strict-snap-like machine: ptrace refused by a seccomp filter (tracees/no_ptrace, EPERM as
# container profiles give it). The ptrace backend refuses to run with exit 125; --backend
# inproc needs no ptrace and runs the program rewritten; --backend auto notices that it cannot
# trace, says so in one line and runs in-process. Where ptrace works, auto stays on ptrace
# (the program then has a tracer).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

seed_files
seed_rules r.toml
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

run "$TRACEES/no_ptrace" "$REDIRECT" --rules r.toml cat TWO.txt
expect_status "--backend ptrace where ptrace is refused" 125
[[ $ERR == *ptrace* ]] || fail "the ptrace backend does not say ptrace is refused: $ERR"

run "$TRACEES/no_ptrace" "$REDIRECT" --backend inproc --rules r.toml cat TWO.txt
expect_ok "--backend inproc where ptrace is refused"
expect_eq "--backend inproc rewrites without ptrace" "This is ONE.txt" "$OUT"
expect_eq "--backend inproc says nothing" "" "$ERR"

run "$TRACEES/no_ptrace" "$REDIRECT" --backend auto --rules r.toml cat TWO.txt
expect_ok "--backend auto where ptrace is refused"
expect_eq "--backend auto falls back to inproc" "This is ONE.txt" "$OUT"
expect_eq "--backend auto's one-line notice" \
  "redirect: --backend auto: cannot trace a child here (ptrace refused); using --backend inproc" \
  "$ERR"

# Where ptrace works, auto is ptrace: the program has a tracer, and no notice.
rd --backend auto --rules r.toml sh -c 'grep TracerPid /proc/self/status; cat TWO.txt'
expect_ok "--backend auto where ptrace works"
[[ $OUT == *"This is ONE.txt"* && $OUT != *"TracerPid:	0"* ]] ||
  fail "--backend auto did not run under ptrace: $OUT"
expect_eq "--backend auto: no notice when it can trace" "" "$ERR"
echo PASS
