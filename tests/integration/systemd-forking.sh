# A Type=forking service started by systemd (systemd-run --wait -p Type=forking) whose command
# is redirect running a forking daemon: the start completes as soon as the program exits, while
# the daemon runs on until told to stop (the unit is active with the daemon as its main process, read from the
# PID file), the daemon's files land in the redirected tree, and the unit ends with success
# when the daemon exits. Needs systemd as PID 1 and root; skipped elsewhere (containers, CI).
source "$(dirname "$0")/lib/common.bash"

[[ -d /run/systemd/system && $(cat /proc/1/comm) == systemd ]] ||
  skip "systemd is not PID 1 here: no service manager to start a Type=forking unit"
command -v systemd-run >/dev/null || skip "no systemd-run"
[[ $(id -u) == 0 ]] || skip "starting a system unit needs root"

mkdir -p tree/run
virtual_tree_rules r.toml

unit=redirect-itest-$$-$RANDOM
trap 'systemctl stop "$unit" 2>/dev/null || true; cleanup' EXIT
systemd-run --unit "$unit" --wait --collect --quiet -p Type=forking \
  -p PIDFile="$WORK/tree/run/app.pid" -p TimeoutStartSec=30 -p TimeoutStopSec=10 \
  "$REDIRECT" --rules "$WORK/r.toml" "$TRACEES/forking_daemon" /redirect-virtual/run/app.pid \
  /redirect-virtual/state 60 /redirect-virtual/stop >sr.out 2>&1 &
srpid=$!
CLEANUP_PIDS+=("$srpid")

# The start job completes while the daemon still writes its state: active, main PID the daemon.
active_with_daemon() {
  [[ $(systemctl is-active "$unit" 2>/dev/null) == active && -s tree/run/app.pid ]] || return 1
  [[ $(systemctl show -p MainPID --value "$unit") == "$(cat tree/run/app.pid)" ]]
}
wait_for active_with_daemon
state=$(cat tree/state 2>/dev/null || true)
[[ $state != done ]] || fail "the unit became active only after the daemon had finished"
daemon=$(cat tree/run/app.pid)
[[ $(tracer_of "$daemon") != 0 ]] || fail "the daemon of the unit is not traced"
touch tree/stop

status=0
wait "$srpid" || status=$?
expect_eq "systemd-run --wait's status (the unit's result; output: $(cat sr.out))" 0 "$status"
expect_eq "the daemon's last state, in the redirected tree" done "$(cat tree/state)"
[[ ! -e /redirect-virtual ]] || fail "something was written to the real /redirect-virtual"
echo PASS
