# `redirect trace --backend inproc --wait-all`: with no tracer, the collector waits for every
# process holding the record descriptor. A process the program left running is recorded until
# it exits (its late open is in the report); one that stays is killed by SIGTERM, which ends the
# trace with the report and the rules written and says what it killed. Without --wait-all the
# report names what was left running, as under ptrace.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

app=redirect-tiwa-$$-$RANDOM
[[ ! -e /opt/$app ]] || skip "/opt/$app exists on this host"
mkdir -p "bundle/opt/$app"
echo "config" >"bundle/opt/$app/app.conf"
nap=$((300 + RANDOM % 1000))  # a number of seconds no other test sleeps
late="cat /opt/$app/app.conf; exec 1>&- 2>&-; (sleep 1; cat /opt/$app/late.conf >/dev/null 2>&1) &"

run "$REDIRECT" trace --backend inproc --suggest bundle -o a.toml --report a.txt -- sh -c "$late"
expect_ok "the program's status"
grep -q "the program has ended, leaving [12] process.*: sh\[[0-9]*\].* running" a.txt ||
  fail "the report does not name the leftover: $(cat a.txt)"
grep -q "late.conf" a.txt && fail "the leftover's later open is in the report without --wait-all"

run "$REDIRECT" trace --backend inproc --wait-all --suggest bundle -o w.toml --report w.txt -- sh -c "$late"
expect_ok "the program's status (--wait-all)"
grep -q '"late.conf" (1x ENOENT)' w.txt ||
  fail "--wait-all did not record the leftover's open: $(cat w.txt)"
grep -q "leaving" w.txt && fail "--wait-all says something was left: $(cat w.txt)"

sleeper() {
  local p
  for p in $(pgrep -x sleep); do
    [[ $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) == "sleep $nap " ]] && echo "$p" && return 0
  done
  return 1
}
"$REDIRECT" trace --backend inproc --wait-all --suggest bundle -o s.toml --report s.txt \
  -- sh -c "cat /opt/$app/app.conf; exec 1>&- 2>&-; sleep $nap &" >/dev/null 2>s.err &
rpid=$!
CLEANUP_PIDS+=("$rpid")
wait_for sleeper
left=$(sleeper)
CLEANUP_PIDS+=("$left")
expect_sigterm_ends_wait_all "$rpid" "$left" s
echo PASS
