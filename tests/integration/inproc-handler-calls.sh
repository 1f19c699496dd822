# The SIGSYS handler's own system calls under --backend inproc, counted with strace (which sees
# the calls the handler makes, not the trapped ones): a call no rule names (getppid, close) is
# made again in place, without the gettid that finds the thread's private stack, so 2,000 more
# of them add no gettid at all. A thread with an alternate signal stack keeps the private
# stack for every call (a handler nested below the kernel's frame could overflow the program's
# alternate stack), which the same count shows: one gettid per trapped call.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
command -v strace >/dev/null || skip "strace is not installed"
# The trap path is what is counted: with sites rewritten (inproc-lazy-sites) these calls would
# not trap at all.
export REDIRECT_INPROC_LAZY=0

write_root_alias_rules r.toml

# gettids N [altstack]: how many gettid calls the process made around N x (getppid, close).
gettids() {
  run strace -f -qq -e trace=gettid -o "$WORK/strace.$1" \
    "$REDIRECT" --backend inproc --rules r.toml "$TRACEES/call_loop" "$@"
  expect_ok "call_loop $* under strace and --backend inproc"
  expect_eq "call_loop $* output" "$((2 * $1)) calls" "$OUT"
  grep -c 'gettid()' "$WORK/strace.$1" || true
}

few=$(gettids 100)
many=$(gettids 2100)
((many - few < 100)) ||
  fail "2,000 x (getppid, close) made $((many - few)) more gettid calls in the handler" \
    "($few, then $many): a call no rule names should run in place"

few=$(gettids 100 altstack)
many=$(gettids 2100 altstack)
((many - few >= 4000)) ||
  fail "with an alternate stack, 2,000 x (getppid, close) made only $((many - few)) more" \
    "gettid calls ($few, then $many): the thread should keep its private stack"
echo ok
