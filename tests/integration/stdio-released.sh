# Once the program has ended, the tracer left running holds none of the caller's stdout and
# stderr: a command substitution `$(redirect ... sh -c 'sleep 30 >/dev/null & echo hi')` ends
# within 10 s, long before the sleep, as it does natively. --stats is the exception: the tracer
# keeps stderr to print the counts when the last tracee has exited, and they include what the
# leftovers did; so is --log FILE, which records the leftovers' decisions to the end.
source "$(dirname "$0")/lib/common.bash"

mkdir tree
virtual_tree_rules r.toml

start=$(now_ms)
out=$(timeout 30 "$REDIRECT" --rules r.toml sh -c \
  'sleep 30 </dev/null >/dev/null 2>&1 & echo $! >sleeppid; echo hi' 2>&1) ||
  fail "\$(redirect ...) failed or was killed after 30 s (status $?): $out"
took=$(($(now_ms) - start))
CLEANUP_PIDS+=("$(cat sleeppid)")
expect_eq "the program's output" hi "$out"
((took < 10000)) || fail "\$(redirect ...) ended after $took ms: something held its stdout"
tracer=$(tracer_of "$(cat sleeppid)")
[[ $tracer != 0 ]] || fail "the background sleep is not traced"
CLEANUP_PIDS+=("$tracer")

# --stats: printed when the last tracee has exited, counting the leftover's 10 rewrites too.
cat >writer.sh <<'SH'
i=0
while [ $i -lt 10 ]; do echo $i >/redirect-virtual/bg.txt; i=$((i + 1)); sleep 0.1; done
echo done >/redirect-virtual/done.txt
SH
rd --stats --rules r.toml sh -c 'sh ./writer.sh </dev/null >/dev/null 2>&1 & exit 0'
expect_ok "--stats with a background writer"
wait_for file_nonempty tree/done.txt
stats_written() { grep -q "rule 'virtual'" .err; }
wait_for stats_written
hits=$(sed -n "s/^redirect: stats: rule 'virtual' ([^)]*): \([0-9]*\) hits.*$/\1/p" .err)
((hits >= 11)) || fail "--stats counted $hits hits, not the leftover's 11: $(cat .err)"

# --log FILE: the leftover's decisions after redirect returned are logged too.
rm -f tree/done.txt
rd --log decisions.log --rules r.toml sh -c 'sh ./writer.sh </dev/null >/dev/null 2>&1 & exit 0'
expect_ok "--log with a background writer"
wait_for file_nonempty tree/done.txt
logged_done() { grep -q 'rewrite "/redirect-virtual/done.txt"' decisions.log; }
wait_for logged_done
expect_eq "rewrites of the leftover in the log" 11 "$(grep -c 'rewrite "/redirect-virtual/' decisions.log)"
echo PASS
