// runs_in_place (see in_place.h). The list below must name every call handle_call() in
// sigsys_handler.cpp treats apart: a call missing here would skip its emulation.
#include "inproc/in_place.h"

#include <signal.h>
#include <sys/syscall.h>

#include "inproc/getcwd_view.h"

namespace redirect::inproc {

bool runs_in_place(const Runtime* rt, long nr, const ucontext_t* uc) {
  // As park_altstack decides: the settings the kernel saved in the frame.
  if (!(uc->uc_stack.ss_flags & SS_DISABLE) && uc->uc_stack.ss_size != 0) return false;
  switch (nr) {
    case SYS_rt_sigaction:
    case SYS_rt_sigprocmask:
    case SYS_sigaltstack:
    case SYS_clone:
    case SYS_clone3:
    case SYS_fork:
    case SYS_vfork:
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo:
    case SYS_prctl:
    case SYS_chroot:
    case SYS_execve:
    case SYS_execveat: return false;
    default: break;
  }
  if (nr == SYS_getcwd && rt != nullptr && reads_getcwd_back(*rt)) return false;
  return rt != nullptr && rt->matcher && !rt->matcher->find(nr);
}

}  // namespace redirect::inproc
