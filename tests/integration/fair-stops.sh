# Stops are served fairly: an old process beside 16 newer ones that keep stopping at a traced
# call is not left stopped behind them (waitpid(-1) reports the newest tracee first, and a
# tracer handling one status per wait starved the oldest for seconds). Both modes:
#  - the oldest loops alarm(1); pause(): a stall of over a second between the two loses the
#    signal and hangs it for good, a shorter one makes the rounds late;
#  - every process makes the call for 2 s: the oldest's slowest single call is within 20 ms of
#    the newest's, and it makes at least a tenth as many calls.
# FAIR_STOPS_RUNS alarm runs per mode (3 here; `make stress` runs 100 per mode).
# FAIR_STOPS_SLACK_US replaces the 20 ms (the test VMs, tests/vm/init, where an emulated CPU
# on shared cores stalls any process for a few hundred ms).
source "$(dirname "$0")/lib/common.bash"
runs=${FAIR_STOPS_RUNS:-3}
slack_us=${FAIR_STOPS_SLACK_US:-20000}
rounds=2
newer=16
cat >r.toml <<'TOML'
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/(.*)$'
replace = '/nonexistent/$1'
TOML

run "$TRACEES/fair_stops" alarm 1 "$newer"
expect_ok "native alarm run"

for mode in seccomp ptrace; do
  for ((i = 1; i <= runs; i++)); do
    RUN_TIMEOUT=$((rounds + 10)) rd --mode $mode --rules r.toml "$TRACEES/fair_stops" alarm \
      $rounds $newer
    [[ $STATUS != 124 ]] || fail "--mode $mode, run $i of $runs: the oldest process hung"
    expect_ok "--mode $mode, run $i: alarm rounds"
    [[ $OUT =~ ^rounds\ $rounds\ in\ ([0-9]+)\.([0-9]{3})\ s$ ]] ||
      fail "--mode $mode, run $i: unexpected output '$OUT'"
    ms=$((10#${BASH_REMATCH[1]} * 1000 + 10#${BASH_REMATCH[2]}))
    ((ms <= rounds * 1000 + 900)) ||
      fail "--mode $mode, run $i: $rounds alarm rounds took $ms ms (the oldest waited)"
  done
  echo "--mode $mode: $runs runs of $rounds alarm rounds beside $newer newer processes"

  rd --mode $mode --rules r.toml "$TRACEES/fair_stops" latency 2 $newer
  expect_ok "--mode $mode: latency run"
  read -r _ old_calls old_worst _ new_calls new_worst <<<"$(echo $OUT)"
  echo "--mode $mode: oldest $old_calls calls, slowest ${old_worst} us; newest $new_calls" \
    "calls, slowest ${new_worst} us"
  ((old_worst <= new_worst + slack_us)) ||
    fail "--mode $mode: the oldest's slowest call took $old_worst us, the newest's $new_worst us"
  ((old_calls * 10 >= new_calls)) ||
    fail "--mode $mode: the oldest made $old_calls calls, the newest $new_calls"
done
echo PASS
