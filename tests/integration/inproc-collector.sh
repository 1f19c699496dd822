# With --log or --stats, `redirect --backend inproc` stays as the program's parent to collect
# its decision records, and must be as invisible as the exec it replaces:
# - the program's exit status and death signal are redirect's (3; 128+9);
# - SIGTERM sent to redirect reaches the program, and redirect ends with its status (143);
# - redirect killed (SIGKILL) never kills the program: it goes on, its paths still rewritten,
#   and its records, which nobody reads any more, are said lost on stderr instead of raising
#   SIGPIPE in it.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

mkdir tree
echo "through the rule" >tree/f
virtual_tree_rules r.toml

rd --backend inproc --log log.txt --rules r.toml "$TRACEES/exit_with" exit 3
expect_status "the program's exit status" 3
rd --backend inproc --stats --rules r.toml "$TRACEES/exit_with" kill
expect_status "the program's death signal (SIGKILL)" 137

# SIGTERM to redirect is forwarded to the program; --stats is still printed.
"$REDIRECT" --backend inproc --stats --rules r.toml "$TRACEES/spin" "$WORK/spin.pid" sleep \
  2>term.err &
rpid=$!
CLEANUP_PIDS+=("$rpid")
wait_for test -s spin.pid
ppid=$(head -1 spin.pid)
CLEANUP_PIDS+=("$ppid")
kill -TERM "$rpid"
status=0
wait "$rpid" || status=$?
expect_eq "SIGTERM to redirect: its status is the program's" 143 "$status"
kill -0 "$ppid" 2>/dev/null && fail "SIGTERM to redirect did not reach the program ($ppid)"
grep -q '^redirect: stats: syscalls: ' term.err || fail "no --stats after SIGTERM: $(cat term.err)"

# redirect killed mid-run: the program runs to its end, rewritten, with the lost records said.
script='cat /redirect-virtual/f >first.txt; echo $$ >started
while [ ! -e go ]; do sleep 0.05; done
for i in 1 2 3; do cat /redirect-virtual/f; done >after.txt; echo $? >done'
"$REDIRECT" --backend inproc --log log.txt --stats --rules r.toml sh -c "$script" 2>killed.err &
rpid=$!
CLEANUP_PIDS+=("$rpid")
wait_for test -s started
CLEANUP_PIDS+=("$(cat started)")
kill -KILL "$rpid"
status=0
wait "$rpid" || status=$?
expect_eq "redirect killed" 137 "$status"
touch go
wait_for test -s done
expect_eq "the program went on to its end" 0 "$(cat done)"
expect_eq "its paths still rewritten" "$(printf 'through the rule\n%.0s' 1 2 3)" "$(cat after.txt)"
grep -q 'openat\[1\] rewrite "/redirect-virtual/f"' log.txt ||
  fail "the decision before the kill is not in the log: $(cat log.txt)"
grep -q '^redirect: pid [0-9]*: a decision record could not be sent to redirect (errno 32): --log and --stats miss this process.s decisions from here on$' killed.err ||
  fail "the lost records are not said: $(cat killed.err)"
echo PASS
