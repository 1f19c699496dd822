// needs_handler and runs_in_place (see in_place.h). The list below must name every call
// handle_call() in sigsys_handler.cpp treats apart: a call missing here would skip its
// emulation, and its syscall sites would be rewritten to never trap again (lazy_sites.h).
#include "inproc/in_place.h"

#include <signal.h>
#include <sys/syscall.h>

#include "inproc/getcwd_view.h"

namespace redirect::inproc {

bool needs_handler(const Runtime* rt, long nr) {
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
    case SYS_execveat: return true;
    default: break;
  }
  if (nr == SYS_getcwd && rt != nullptr && reads_getcwd_back(*rt)) return true;
  if (rt != nullptr && rt->traced.traced(nr)) return true;  // recorded by `redirect trace`
  return rt == nullptr || !rt->matcher || rt->matcher->find(nr);
}

bool runs_in_place(const Runtime* rt, long nr, const ucontext_t* uc) {
  // As run_on_private_stack decides (private_entry.h): the settings the kernel saved in the frame.
  if (!(uc->uc_stack.ss_flags & SS_DISABLE) && uc->uc_stack.ss_size != 0) return false;
  return !needs_handler(rt, nr);
}

}  // namespace redirect::inproc
