# A program that traces its own children under --backend inproc: there is no tracer of ours,
# so strace can trace the program (under ptrace it gets EPERM: nested-ptrace.sh), and its
# tracee is still rewritten; but Syscall User Dispatch delivers every call as SIGSYS, and a
# signal to a traced task stops it for its tracer first (ptrace(2), signal-delivery-stop), so
# the tracer sees one SIGSYS stop per call before the call itself (docs/inproc.md). strace
# passes each on; a tracer that expects no stop (harden_ptrace_user's parent, which only waits
# for its child's exit) sees a stopped child instead.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
strace_works || skip "strace is not installed, or cannot trace a program here"
write_bundled_file_rules r.toml

rd --backend inproc --rules r.toml strace -f -o trace.txt cat /redirect-virtual/file
expect_ok "strace under --backend inproc"
expect_eq "strace's tracee is rewritten" "in the bundle" "$OUT"
grep -qF "openat(AT_FDCWD, \"$WORK/bundled.txt\"" trace.txt ||
  fail "strace does not see the rewritten openat: $(grep openat trace.txt)"
grep -q 'SIGSYS {si_signo=SIGSYS, si_code=SYS_USER_DISPATCH' trace.txt ||
  fail "no SIGSYS stop of Syscall User Dispatch reached the tracer: $(head -20 trace.txt)"

rd --backend inproc --rules r.toml "$TRACEES/harden_ptrace_user" /redirect-virtual/file
# Its child's PTRACE_TRACEME succeeds (with EPERM it would run on and exit 0) and its next call
# stops it, before its buffered output is written.
[[ $STATUS != 0 && $ERR == *'!(WIFEXITED(status)'* ]] ||
  fail "harden_ptrace_user: the child is not seen stopped: status $STATUS, out: $OUT, err: $ERR"
echo PASS
