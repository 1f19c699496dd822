// needs_handler and runs_in_place (see in_place.h). The list below must name every call
// handle_call() in sigsys_handler.cpp treats apart: a call missing here would skip its
// emulation, and its syscall sites would be rewritten to never trap again (lazy_sites.h).
#include "inproc/in_place.h"

#include <signal.h>
#include <sys/syscall.h>

#include "inproc/getcwd_view.h"
#include "inproc/private_altstack.h"

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
  // A program's alternate stack may be small (8 KB is common): a signal nesting below the
  // kernel's ~3 KB frame could overflow it, so the call moves to the private stack
  // (private_entry.h). On the private stack or the program's own one it stays.
  if (altstack_armed(programs_own(uc->uc_stack))) return false;
  return !needs_handler(rt, nr);
}

}  // namespace redirect::inproc
