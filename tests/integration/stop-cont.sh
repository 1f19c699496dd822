# SIGSTOP really stops a traced program until SIGCONT: /proc shows it stopped (T, or t since a
# seized tracee in PTRACE_LISTEN is in a tracing stop) and its counter does not move; after
# SIGCONT it runs again. A tracer that resumes group-stops lets it run on.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml

# The kernel discards SIGTSTP sent to a process of an orphaned process group (signal(7)), and
# whether ours is one depends on how ctest was started (CI, a terminal, nohup). Ask a native
# run whether SIGTSTP stops it here, and check the same under redirect.
stopped_state() { local s; s=$(proc_state "$1"); [[ $s == T || $s == t ]]; }
"$TRACEES/spin" native count &
npid=$!
CLEANUP_PIDS+=("$npid")
wait_for file_nonempty native.count
kill -TSTP "$npid"
tstp_stops=no
for _ in 1 2 3 4 5 6 7 8 9 10; do
  if stopped_state "$npid"; then tstp_stops=yes; break; fi
  sleep 0.1
done
kill -KILL "$npid"
wait "$npid" 2>/dev/null || true
[[ $tstp_stops == yes ]] || echo "note: SIGTSTP does not stop a native run here (orphaned process group): checked that it does not under redirect either"

for mode in seccomp ptrace; do
  rm -f pids pids.count
  "$REDIRECT" --mode $mode --rules r.toml "$TRACEES/spin" pids count &
  rpid=$!
  CLEANUP_PIDS+=("$rpid")
  wait_for file_nonempty pids.count
  pid=$(cat pids)
  CLEANUP_PIDS+=("$pid")

  counter() { cat pids.count; }
  counter_above() { (($(counter) > $1)); }
  wait_for counter_above "$(counter)"

  kill -STOP "$pid"
  sleep 0.3
  state=$(proc_state "$pid")
  [[ $state == T || $state == t ]] || fail "--mode $mode: after SIGSTOP the program's state is $state, not T/t"
  c2=$(counter)
  sleep 0.5
  c3=$(counter)
  state=$(proc_state "$pid")
  [[ $state == T || $state == t ]] || fail "--mode $mode: 0.5 s after SIGSTOP the program's state is $state"
  expect_eq "--mode $mode: counter while stopped (it must not move)" "$c2" "$c3"

  kill -CONT "$pid"
  wait_for counter_above "$c3"

  # Same with SIGTSTP, the signal of Ctrl-Z, when it stops a native run here.
  kill -TSTP "$pid"
  sleep 0.3
  state=$(proc_state "$pid")
  if [[ $tstp_stops == yes ]]; then
    [[ $state == T || $state == t ]] || fail "--mode $mode: after SIGTSTP the program's state is $state, not T/t"
    c5=$(counter)
    sleep 0.4
    expect_eq "--mode $mode: counter while stopped by SIGTSTP" "$c5" "$(counter)"
    kill -CONT "$pid"
  else
    # Not the state letter: a tracee shows 't' at every syscall stop too, and spin makes
    # trapped syscalls. Running means its counter goes on moving.
    c5=$(counter)
    moved=no
    for _ in $(seq 60); do
      if counter_above "$c5"; then moved=yes; break; fi
      sleep 0.05
    done
    [[ $moved == yes ]] ||
      fail "--mode $mode: SIGTSTP stopped the program although it does not stop a native run here"
  fi
  wait_for counter_above "$c5"

  kill -TERM "$pid"
  status=0
  wait "$rpid" || status=$?
  expect_eq "--mode $mode: redirect's status after SIGTERM killed the program" 143 "$status"
done
echo PASS
