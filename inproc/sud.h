// Syscall User Dispatch (PR_SET_SYSCALL_USER_DISPATCH, Linux 5.11+, x86_64): once armed for a
// thread, every system call it makes from outside our region (gadget.S) raises SIGSYS with
// si_code SYS_USER_DISPATCH instead of running. The kernel clears it in every new task (clone,
// fork) and at execve, which is why the handler makes clone itself and re-arms the child, and
// an exec'd program is armed again by the library LD_AUDIT loads into it.
#pragma once

namespace redirect::inproc {

/// Arms dispatch for the calling thread with our region allowed. Returns 0 or -errno (EINVAL:
/// the kernel has no Syscall User Dispatch, or it is armed already).
long arm_dispatch();

}  // namespace redirect::inproc
