# The log, --stats and trace report the result a program sees, not the kernel's restart codes:
# a blocking FIFO open at a rewritten path, interrupted many times by a timer signal, is at each
# interruption's exit stop "-512" (ERESTARTSYS). With SA_RESTART the kernel runs it again and
# the program sees one open: one log line "= 3" (its fd), no failed call in --stats, one trace
# event.
# Without SA_RESTART each interruption is EINTR in the program: one log line "= -1 EINTR" each,
# counted as failed, then the "= 3". A signal with no handler (SIGWINCH, ignored by default)
# also interrupts the open of a traced program, and the kernel restarts it: one line "= 3".
# In both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/signal_restart_log.bash"
source "$(dirname "$0")/lib/common.bash"

check_restart_log "$TRACEES/fifo_interrupted"
echo PASS
