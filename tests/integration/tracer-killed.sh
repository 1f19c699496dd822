# When redirect is killed (SIGKILL, no chance to clean up), every tracee dies with it
# (PTRACE_O_EXITKILL): the program and its forked child, whether sleeping or burning CPU.
# Nothing may go on running untraced. By default the tracer is redirect's child and dies with it
# while the program runs (PR_SET_PDEATHSIG); with --wait-all redirect is the tracer itself.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
for wait_all in "" --wait-all; do for engine_mode in seccomp ptrace; do for mode in sleep busy; do
  rm -f pids
  "$REDIRECT" $wait_all --mode $engine_mode --rules r.toml "$TRACEES/spin" pids $mode fork &
  rpid=$!
  CLEANUP_PIDS+=("$rpid")
  wait_for file_nonempty pids
  mapfile -t tracees <pids
  CLEANUP_PIDS+=("${tracees[@]}")
  (( ${#tracees[@]} == 2 )) || fail "spin wrote '${tracees[*]}'"
  sleep 0.2
  for p in "${tracees[@]}"; do
    ! is_dead "$p" || fail "$engine_mode/$mode: tracee $p died before redirect was killed"
  done
  kill -KILL "$rpid"
  wait "$rpid" 2>/dev/null || true
  for p in "${tracees[@]}"; do
    for ((i = 0; i < 200; i++)); do
      is_dead "$p" && break
      sleep 0.05
    done
    is_dead "$p" || fail "$wait_all $engine_mode/$mode: tracee $p (state $(proc_state "$p")) survived redirect's death"
  done
done; done; done
echo PASS
