# A classic forking daemon (fork, setsid, fork, the program exits once the daemon has written
# its PID file): redirect returns 0 as soon as the program exits, within 10 s while the daemon
# runs until told to stop (natively it returns in milliseconds, and a redirect that waited for
# the daemon would never return by itself); the daemon's PID file and state land in the
# redirected tree, also for the writes it makes after redirect returned; the tracer left running holds nothing of the caller (working
# directory /, stdin/stdout/stderr on /dev/null, a session of its own) and exits after the
# daemon does. With --wait-all, redirect returns only after the daemon has ended.
source "$(dirname "$0")/lib/common.bash"

mkdir -p tree/run
virtual_tree_rules r.toml

start=$(now_ms)
RUN_TIMEOUT=20 rd --rules r.toml "$TRACEES/forking_daemon" /redirect-virtual/run/app.pid \
  /redirect-virtual/state 60 /redirect-virtual/stop
took=$(($(now_ms) - start))
expect_ok "forking daemon under redirect"
[[ -s tree/run/app.pid ]] || fail "no PID file in the redirected tree when redirect returned"
daemon=$(cat tree/run/app.pid)
CLEANUP_PIDS+=("$daemon")
((took < 10000)) || fail "redirect returned after $took ms, not when the program exited"
is_dead "$daemon" && fail "the daemon ended with the program"
tracer=$(tracer_of "$daemon")
[[ $tracer != 0 ]] || fail "the daemon is no longer traced"
CLEANUP_PIDS+=("$tracer")
echo "note: returned after $took ms; daemon $daemon traced by $tracer"

# What the tracer holds: nothing of the caller's.
expect_eq "the tracer's working directory" / "$(readlink "/proc/$tracer/cwd")"
for fd in 0 1 2; do
  expect_eq "the tracer's fd $fd" /dev/null "$(readlink "/proc/$tracer/fd/$fd")"
done
tracer_stat=$(cat "/proc/$tracer/stat")
tracer_stat=${tracer_stat##*) }
read -r _ _ _ tracer_sid _ <<<"$tracer_stat"
expect_eq "the tracer leads a session of its own" "$tracer" "$tracer_sid"

# The daemon's writes go on landing in the redirected tree, until it is done.
counter_above() {
  local v
  v=$(cat tree/state 2>/dev/null) && [[ $v =~ ^[0-9]+$ ]] && ((v > $1))
}
wait_for counter_above 0
touch tree/stop
state_done() { [[ $(cat tree/state 2>/dev/null) == done ]]; }
for ((i = 0; i < 200; i++)); do
  state_done && break
  sleep 0.05
done
state_done || fail "the daemon never wrote 'done' (state: $(cat tree/state))"
wait_for is_dead "$daemon"
wait_for is_dead "$tracer"
[[ ! -e /redirect-virtual ]] || fail "something was written to the real /redirect-virtual"

# --wait-all: redirect returns after the daemon, whose last write is then done.
rm -f tree/state tree/run/app.pid tree/stop
start=$(now_ms)
rd --wait-all --rules r.toml "$TRACEES/forking_daemon" /redirect-virtual/run/app.pid \
  /redirect-virtual/state 1
took=$(($(now_ms) - start))
expect_ok "forking daemon under redirect --wait-all"
expect_eq "the daemon's state when redirect --wait-all returned" done "$(cat tree/state)"
((took >= 1000)) || fail "redirect --wait-all returned after $took ms, before the daemon ended"
echo PASS
