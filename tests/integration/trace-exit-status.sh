# `redirect trace` ends as a run does: the program's status, 128+N when signal N killed it, 127
# when PROG is not found; the program's stdout is its own (the summary goes to stderr).
source "$(dirname "$0")/lib/common.bash"

for n in 0 3 200; do
  rd trace -- "$TRACEES/exit_with" exit $n
  expect_status "trace: exit $n" $n
  expect_eq "trace: exit $n: stdout" "" "$OUT"
  [[ $ERR == *"redirect trace: "*" path calls"* ]] || fail "trace: exit $n: no summary: $ERR"
done

for how in segv:11 kill:9 abort:6; do
  what=${how%:*} sig=${how#*:}
  rd trace -- "$TRACEES/exit_with" "$what"
  expect_status "trace: program killed by signal $sig" $((128 + sig))
done

rd trace -- sh -c 'echo out; echo err >&2; exit 4'
expect_status "trace: sh's status" 4
expect_eq "trace: the program's stdout alone" "out" "$OUT"
[[ $ERR == err$'\n'* ]] || fail "trace: the program's stderr comes first: $ERR"

rd trace -- redirect-no-such-program-xyz
expect_status "trace: program not found" 127
[[ $ERR == *redirect-no-such-program-xyz* ]] || fail "trace: not-found message: $ERR"
[[ $ERR != *"path calls"* ]] || fail "trace: a summary for a program that never ran: $ERR"
echo PASS
