# redirect returns when the program does, with its status, while what the program left running
# stays traced: `sh -c 'sleep 30 & exit 3'` returns 3 within 10 s (natively in milliseconds,
# ~50 ms under redirect; the bound is for sanitizer builds on a loaded machine); a background
# writer started the same way goes on writing to a redirected path after redirect returned, and
# its writes land in the redirected tree. --wait-all waits for the background job, as redirect
# did before and strace -f does.
source "$(dirname "$0")/lib/common.bash"

mkdir tree
virtual_tree_rules r.toml
# Writes 0, 1, 2... to /redirect-virtual/bg.txt every 100 ms, for at least 30 s (the test kills it when done).
cat >writer.sh <<'SH'
i=0
while [ $i -lt 300 ]; do echo $i >/redirect-virtual/bg.txt; i=$((i + 1)); sleep 0.1; done
SH

# The plain sleep of the issue: it returns, and the sleep is still traced.
start=$(now_ms)
rd --rules r.toml sh -c 'sleep 30 </dev/null >/dev/null 2>&1 & echo $! >sleeppid; exit 3'
took=$(($(now_ms) - start))
expect_status "sh -c 'sleep 30 & exit 3'" 3
sleeper=$(cat sleeppid)
CLEANUP_PIDS+=("$sleeper")
((took < 10000)) || fail "redirect returned after $took ms, not when the program exited"
is_dead "$sleeper" && fail "the background sleep ended with the program"
tracer=$(tracer_of "$sleeper")
[[ $tracer != 0 ]] || fail "the background sleep is no longer traced"
CLEANUP_PIDS+=("$tracer")
echo "note: returned after $took ms; the sleep is traced by $tracer"

# A background writer: its writes after redirect returned are still rewritten.
start=$(now_ms)
rd --rules r.toml sh -c 'sh ./writer.sh </dev/null >/dev/null 2>&1 & echo $! >bgpid; exit 3'
took=$(($(now_ms) - start))
expect_status "sh -c 'writer & exit 3'" 3
writer=$(cat bgpid)
CLEANUP_PIDS+=("$writer")
((took < 10000)) || fail "redirect returned after $took ms, not when the program exited"
is_dead "$writer" && fail "the background writer ended with the program"
tracer=$(tracer_of "$writer")
[[ $tracer != 0 ]] || fail "the background writer is no longer traced"
CLEANUP_PIDS+=("$tracer")
counter() { cat tree/bg.txt 2>/dev/null; }
counter_above() {
  local v
  v=$(counter) && [[ -n $v ]] && ((v > $1))
}
wait_for file_nonempty tree/bg.txt
after_return=$(counter)
after_return=${after_return:-0}
wait_for counter_above "$after_return"
[[ ! -e /redirect-virtual ]] || fail "something was written to the real /redirect-virtual"

# --wait-all: redirect returns only when the background job has ended, with the program's status.
start=$(now_ms)
rd --wait-all --rules r.toml sh -c 'sleep 1 </dev/null >/dev/null 2>&1 & exit 3'
took=$(($(now_ms) - start))
expect_status "--wait-all sh -c 'sleep 1 & exit 3'" 3
((took >= 1000)) || fail "redirect --wait-all returned after $took ms, before the background sleep ended"
echo PASS
