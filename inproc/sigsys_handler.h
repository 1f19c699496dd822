// The SIGSYS handler: every system call the program makes arrives here as a signal (Syscall
// User Dispatch). It moves to the thread's private stack (thread_stacks.h), then per call:
// an i386 call (int $0x80) is made again as it was; the signal layer's calls are emulated
// (signal_layer.h); clone and fork are made here (task_creation.h); exec re-injects our
// environment (exec_inject.h); everything else has the rules applied (path_rewrite.h) and is
// made again from our region, its result put in the program's rax. A SIGSYS that is not a
// dispatch trap goes to the program's own handler. Before any of that, the site of a call the
// handler has no work for may be rewritten so that it does not trap again (lazy_sites.h).
#pragma once

namespace redirect::inproc {

/// Installs the handler for SIGSYS (raw rt_sigaction, SA_SIGINFO | SA_NODEFER | SA_ONSTACK |
/// SA_RESTORER, restorer in our region) and unblocks SIGSYS. Returns 0 or -errno.
long install_sigsys_handler();

}  // namespace redirect::inproc
