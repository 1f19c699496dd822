# The tracer that redirect runs apart dies with SIGKILL: whatever it traced dies with it
# (PTRACE_O_EXITKILL), nothing goes on untraced. While the program runs, redirect then says so
# and exits 125 (the program's status is lost, not made up); after the program has ended, its
# leftovers die. Killing redirect itself while the program runs kills the tracer too
# (PR_SET_PDEATHSIG), so tracer-killed.sh holds as before. A SIGTERM to the tracer after the
# program has ended has nowhere to go: the leftovers run on.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml

# expect_all_dead WHAT PIDS...: each pid dies within 10 s.
expect_all_dead() {
  local what=$1 p i
  shift
  for p in "$@"; do
    for ((i = 0; i < 200; i++)); do
      is_dead "$p" && break
      sleep 0.05
    done
    is_dead "$p" || fail "$what: tracee $p (state $(proc_state "$p")) survived the tracer's death"
  done
}

for mode in seccomp ptrace; do
  # While the program runs: redirect reports the tracer's death.
  rm -f pids
  "$REDIRECT" --mode $mode --rules r.toml "$TRACEES/spin" pids sleep fork >out 2>err &
  rpid=$!
  CLEANUP_PIDS+=("$rpid")
  wait_for file_nonempty pids
  mapfile -t tracees <pids
  CLEANUP_PIDS+=("${tracees[@]}")
  tracer=$(tracer_of "${tracees[0]}")
  [[ $tracer != 0 && $tracer != "$rpid" ]] || fail "--mode $mode: the program's tracer is $tracer"
  CLEANUP_PIDS+=("$tracer")
  kill -KILL "$tracer"
  status=0
  wait "$rpid" || status=$?
  expect_eq "--mode $mode: redirect's status when its tracer was killed" 125 "$status"
  grep -q "the tracer was killed by signal 9 without the program.s status" err || fail "--mode $mode: no word of the tracer's death: $(cat err)"
  expect_all_dead "--mode $mode, program running" "${tracees[@]}"

  # After the program has ended: its leftovers die with the tracer.
  rm -f pids
  rd --mode $mode --rules r.toml sh -c "'$TRACEES/spin' pids sleep fork </dev/null >/dev/null 2>&1 & exit 0"
  expect_ok "--mode $mode: sh -c 'spin & exit 0'"
  wait_for file_nonempty pids
  mapfile -t tracees <pids
  CLEANUP_PIDS+=("${tracees[@]}")
  tracer=$(tracer_of "${tracees[0]}")
  [[ $tracer != 0 ]] || fail "--mode $mode: the leftover is not traced"
  CLEANUP_PIDS+=("$tracer")
  kill -TERM "$tracer"
  sleep 0.3
  for p in "$tracer" "${tracees[@]}"; do
    ! is_dead "$p" || fail "--mode $mode: $p died of a SIGTERM sent to the tracer after the program's end"
  done
  kill -KILL "$tracer"
  expect_all_dead "--mode $mode, after the program's end" "${tracees[@]}"
done
echo PASS
