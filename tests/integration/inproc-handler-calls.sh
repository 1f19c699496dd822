# The SIGSYS handler's own system calls under --backend inproc, counted with strace (which sees
# the calls the handler makes, not the trapped ones): a call no rule names (getppid, close) is
# made again in place, without the gettid that finds the thread's private stack, so 2,000 more
# of them add no gettid at all. A thread with an alternate signal stack keeps the private
# stack for every call (a handler nested below the kernel's frame could overflow the program's
# alternate stack), which the same count shows: one gettid per trapped call. And a process
# that has had a second thread reads each path with a process_vm_readv of the calling thread
# (inproc/program_copy.h), whose id the handler already has: still one gettid per rewritten
# open, the one that finds the thread's private stack.
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
make_threads_files threads
# copies N: the gettid and process_vm_readv calls around N rewritten opens in each of 2 threads.
copies() {
  run strace -f -qq -e trace=gettid,process_vm_readv -o "$WORK/copies.$1" \
    "$REDIRECT" --backend inproc --rules r.toml "$TRACEES/threads_open" \
    "/redirect-virtual$WORK/threads" 2 "$1"
  expect_ok "threads_open 2 $1 under strace and --backend inproc"
  expect_eq "threads_open 2 $1 output" "threads ok $((2 * $1))" "$OUT"
  # "gettid(" also counts a call strace shows split, "gettid( <unfinished ...>", once.
  echo "$(grep -c 'gettid(' "$WORK/copies.$1") $(grep -c 'process_vm_readv(' "$WORK/copies.$1")"
}
counts=$(copies 50)
read -r gettid_few copies_few <<<"$counts"
counts=$(copies 550)
read -r gettid_many copies_many <<<"$counts"
((copies_many - copies_few >= 1000)) ||
  fail "1,000 more rewritten opens in a threaded process made only" \
    "$((copies_many - copies_few)) more process_vm_readv calls: the kernel did not copy the paths"
((gettid_many - gettid_few < 1100)) ||
  fail "1,000 more rewritten opens in a threaded process made $((gettid_many - gettid_few))" \
    "more gettid calls: the copy asked for the thread's id again"
echo ok
