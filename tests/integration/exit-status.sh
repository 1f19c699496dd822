# redirect ends with the program's status: N for exit(N), 128+N when signal N killed it (and
# redirect does not dump core itself: it may exit 128+N or die of N without a core); 127 when
# PROG is not found, 126 when it cannot be executed, 125 for bad rules or no --rules, each
# with a one-line message on stderr and nothing on stdout.
source "$(dirname "$0")/lib/common.bash"
ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -H -c)" 2>/dev/null || true

seed_rules r.toml
ws=$TRACEES/waitstatus

for n in 0 3 200; do
  run "$ws" "$REDIRECT" --rules r.toml "$TRACEES/exit_with" exit $n
  expect_eq "exit $n under redirect" "exited $n" "$OUT"
done

# Killed by a signal: natively "signaled N"; redirect reports 128+N without dumping core.
for how in segv:11 kill:9 abort:6; do
  what=${how%:*} sig=${how#*:}
  run "$ws" "$TRACEES/exit_with" "$what"
  [[ $OUT == "signaled $sig "* ]] || fail "native exit_with $what: $OUT"
  run "$ws" "$REDIRECT" --rules r.toml "$TRACEES/exit_with" "$what"
  case $OUT in
    "exited $((128 + sig))" | "signaled $sig nocore") ;;
    "signaled $sig core") fail "redirect dumped core when the program died of signal $sig" ;;
    *) fail "program killed by signal $sig: redirect $OUT, expected exited $((128 + sig))" ;;
  esac
  run "$REDIRECT" --rules r.toml "$TRACEES/exit_with" "$what"
  expect_status "shell status when the program dies of signal $sig" $((128 + sig))
done

# expect_message STATUS WHAT NEEDLE: redirect failed with STATUS, printed nothing on stdout and
# one line on stderr mentioning NEEDLE.
expect_message() {
  expect_status "$2" "$1"
  expect_eq "$2: stdout" "" "$OUT"
  [[ -n $ERR ]] || fail "$2: no message on stderr"
  [[ $ERR != *$'\n'* ]] || fail "$2: message is not one line: $ERR"
  [[ $ERR == *"$3"* ]] || fail "$2: message does not mention '$3': $ERR"
}

rd --rules r.toml redirect-no-such-program-xyz arg
expect_message 127 "program not in PATH" redirect-no-such-program-xyz
rd --rules r.toml ./no-such-file
expect_message 127 "program path that does not exist" no-such-file

printf '#!/bin/sh\necho should not run\n' >not-executable
chmod 644 not-executable
rd --rules r.toml ./not-executable
expect_message 126 "program without x permission" not-executable
mkdir a-directory
rd --rules r.toml ./a-directory
expect_message 126 "directory as program" a-directory

printf '[[rule]]\nname = "broken"\nsyscalls = ["openat"]\nmatch = "(unclosed"\nreplace = "x"\n' >bad.toml
rd --rules bad.toml true
expect_status "bad rules" 125
expect_eq "bad rules: stdout" "" "$OUT"
[[ $ERR == *bad.toml* ]] || fail "bad rules: message does not name bad.toml: $ERR"

rd --rules missing.toml true
expect_status "missing rules file" 125
[[ $ERR == *missing.toml* ]] || fail "missing rules file: message does not name it: $ERR"

rd true
expect_status "no --rules" 125
expect_eq "no --rules: stdout" "" "$OUT"
[[ -n $ERR ]] || fail "no --rules: no message on stderr"

rd --rules r.toml
expect_status "no program" 125
[[ -n $ERR ]] || fail "no program: no message on stderr"
echo PASS
