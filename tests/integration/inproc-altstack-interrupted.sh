# A signal that interrupts a blocking call on a thread with an alternate signal stack runs its
# handler, under --backend inproc, on redirect's private stack (the thread's own is parked while
# our handler runs): sigaltstack() must then describe that stack to the handler, SS_ONSTACK with
# a range holding its stack pointer, as the kernel would describe the alternate stack it runs on.
# Go's runtime checks exactly this in every signal handler and, told otherwise, waits forever
# (the hang of static Go programs, inproc-go-stress). Both a call no rule names (pause) and a
# rewritten one (the open of a FIFO that nobody writes) are interrupted.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

mkfifo real.fifo
cat >r.toml <<TOML
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/fifo\$'
replace = '$WORK/real.fifo'
TOML

run "$TRACEES/altstack_interrupted" pause
expect_ok "native pause"
expect_eq "native pause" "pause = EINTR, handler on the stack it is told of" "$OUT"
rd --backend inproc --rules r.toml "$TRACEES/altstack_interrupted" pause
expect_ok "pause under --backend inproc"
expect_eq "pause under --backend inproc" "pause = EINTR, handler on the stack it is told of" "$OUT"

run "$TRACEES/altstack_interrupted" open real.fifo
expect_ok "native open"
expect_eq "native open" "open = EINTR, handler on the stack it is told of" "$OUT"
rd --backend inproc --rules r.toml "$TRACEES/altstack_interrupted" open /redirect-virtual/fifo
expect_ok "open under --backend inproc"
expect_eq "open under --backend inproc" "open = EINTR, handler on the stack it is told of" "$OUT"
echo PASS
