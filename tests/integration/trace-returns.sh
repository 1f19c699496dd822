# `redirect trace` returns when the program does, as a run does: a program that leaves a
# process running (here `sleep 300 &`) gets its report and its suggested rules at once, and
# the report names what is left. With --wait-all the trace goes on, and SIGTERM ends it with
# the report and the rules written and the leftover killed.
source "$(dirname "$0")/lib/common.bash"

app=redirect-returns-test-$$-$RANDOM
[[ ! -e /opt/$app ]] || skip "/opt/$app exists on this host"
mkdir -p "bundle/opt/$app"
echo "config" >"bundle/opt/$app/app.conf"
nap=$((300 + RANDOM % 1000))  # a number of seconds no other test sleeps
prog="cat /opt/$app/app.conf; exec 1>&- 2>&-; sleep $nap &"
# traced_sleeper TRACER: the pid of our `sleep` traced by TRACER (any tracer when empty).
traced_sleeper() {
  local p t
  for p in $(pgrep -x sleep); do
    [[ $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) == "sleep $nap " ]] || continue
    t=$(tracer_of "$p")
    if [[ -z $1 && $t != 0 ]] || [[ $t == "$1" ]]; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

start=$(now_ms)
rd trace --suggest bundle -o s.toml -- sh -c "$prog"
took=$(($(now_ms) - start))
leftover=$(traced_sleeper "" || true)
[[ -n $leftover ]] && CLEANUP_PIDS+=("$leftover")
expect_status "the program's own status" 0
((took < 10000)) || fail "trace took ${took} ms: it waited for the leftover"
[[ $ERR =~ "the program has ended, leaving 1 process: "(sh|sleep)"["[0-9]+"] running. It stays under the rules" ]] ||
  fail "the report does not name the leftover: $ERR"
[[ $ERR == *"1. Paths that failed"*"app.conf"* ]] || fail "no report: $ERR"
grep -q "^\[\[rule\]\]" s.toml || fail "no rules written at the program's end: $(cat s.toml 2>&1)"
[[ -n $leftover ]] && kill "$leftover"

"$REDIRECT" trace --wait-all --suggest bundle -o w.toml --report w.txt -- sh -c "$prog" \
  >/dev/null 2>w.err &
rpid=$!
CLEANUP_PIDS+=("$rpid")
wait_for traced_sleeper "$rpid"
left=$(traced_sleeper "$rpid")
CLEANUP_PIDS+=("$left")
expect_sigterm_ends_wait_all "$rpid" "$left" w
echo PASS
