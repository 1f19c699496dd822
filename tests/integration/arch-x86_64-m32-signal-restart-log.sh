# signal-restart-log.sh for a 32-bit (i386) program on x86_64: an openat interrupted under a
# handler (ERESTARTSYS) is logged with the result the program sees, read from the i386 signal
# frame (rt_sigframe_ia32 -> ucontext_ia32 -> sigcontext_32 eax, or sigframe_ia32 -> sigcontext_32
# eax for a handler without SA_SIGINFO), never "= ?". Skips when no
# 32-bit tracee could be built or this kernel cannot run i386 programs (no IA32 emulation),
# found by running the tracee, never assumed.
source "$(dirname "$0")/lib/signal_restart_log.bash"
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/ia32.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
prog=$TRACEES/fifo_interrupted-m32
[[ -x $prog ]] || skip "no 32-bit tracee: the compiler cannot build -m32 (gcc-multilib)"
run "$TRACEES/fsops" exec "$prog"
ia32_check exec
mkfifo probe.fifo
run "$prog" probe.fifo probe.fifo nohandler
[[ $STATUS == 0 && $OUT == fd* ]] || fail "native i386 run: status $STATUS: $OUT $ERR"
rm probe.fifo
if command -v file >/dev/null; then
  file -L "$prog" | grep -q '32-bit' || fail "$prog is not a 32-bit program: $(file -L "$prog")"
fi

# A handler without SA_SIGINFO gets the older i386 frame (struct sigframe_ia32), one with it
# the rt frame: the result register lies elsewhere in each.
check_restart_log "$prog"
FIFO_INTERRUPTED_SIGINFO=1 check_restart_log "$prog"
echo PASS
