# Signals reach the program as natively: a signal sent to the program's pid runs its handler;
# SIGTERM or SIGHUP sent by a process to redirect's own pid is forwarded to the program, and
# redirect ends with the program's status (7 from its SIGTERM handler, 129 when SIGHUP kills
# it). (Not SIGINT: a non-interactive shell starts background jobs with SIGINT ignored, and the
# program inherits that natively too.)
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml

# start_sigcatch: runs sigcatch under redirect in the background; sets RPID and PID.
start_sigcatch() {
  rm -f pid out
  "$REDIRECT" --rules r.toml "$TRACEES/sigcatch" pid >out 2>err &
  RPID=$!
  CLEANUP_PIDS+=("$RPID")
  wait_for file_nonempty pid
  PID=$(cat pid)
  CLEANUP_PIDS+=("$PID")
}
# lines_in FILE N: FILE has at least N lines (for wait_for).
lines_in() { (($(wc -l <"$1") >= $2)); }
# finish: waits for redirect (at most 10 s, then kills it and fails) and sets STATUS.
finish() {
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$RPID" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$RPID" 2>/dev/null; then
    kill -KILL "$RPID"
    fail "redirect still runs 10 s later; program output: $(cat out)"
  fi
  STATUS=0
  wait "$RPID" || STATUS=$?
}

# Signals to the program itself: its handler runs each time.
start_sigcatch
for n in 1 2 3; do
  kill -USR1 "$PID"
  wait_for lines_in out $n
done
finish
expect_eq "SIGUSR1 sent to the program 3 times" "got USR1 1
got USR1 2
got USR1 3" "$(cat out)"
expect_eq "redirect's status" 0 "$STATUS"

# SIGTERM sent to redirect's pid: forwarded, the program's handler decides the status.
start_sigcatch
kill -TERM "$RPID"
finish
expect_eq "program output after SIGTERM to redirect" "got TERM" "$(cat out)"
expect_eq "redirect's status after forwarding SIGTERM" 7 "$STATUS"

# SIGHUP sent to redirect's pid: forwarded, kills the program (default action): 128+1.
start_sigcatch
kill -HUP "$RPID"
finish
expect_eq "redirect's status after forwarding SIGHUP" 129 "$STATUS"
is_dead "$PID" || fail "the program survived SIGHUP"
echo PASS
