// The private stack as the alternate signal stack (see private_altstack.h).
#include "inproc/private_altstack.h"

#include <sys/syscall.h>


#include "inproc/raw_syscall.h"
#include "inproc/signal_layer.h"
#include "inproc/thread_stacks.h"

namespace redirect::inproc {
stack_t programs_own(const stack_t& saved) {
  return altstack_armed(saved) && !looks_private(saved) ? saved : kNoAltstack;
}

std::optional<stack_t> arm_private_altstack(int tid) {
  const std::optional<stack_t> ours = private_stack_of(tid);
  if (!ours || raw_syscall(SYS_sigaltstack, &*ours, 0) != 0) return std::nullopt;
  return ours;
}

stack_t program_altstack(int tid, const stack_t& saved, std::uintptr_t sp) {
  if (std::optional<stack_t> holding = private_stack_holding(tid, sp)) return *holding;
  return programs_own(saved);
}

long set_altstack_off_stack(const stack_t* ss) {
  // Every signal, SIGSYS too: one delivered while the stack pointer is on no stack would be
  // written at the top of the alternate stack, over the frames in use there. Nothing here
  // traps, so a blocked SIGSYS cannot kill the thread.
  const std::uint64_t all = ~std::uint64_t{0};
  std::uint64_t old = 0;
  if (long r = raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8); r != 0) return r;
  const long r = redirect_inproc_syscall_on_sp(SYS_sigaltstack, reinterpret_cast<long>(ss), 0, 0);
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
  return r;
}

long apply_program_altstack(const stack_t* ss, stack_t* armed, int tid) {
  if (long r = set_altstack_off_stack(ss); r != 0) return r;
  raw_syscall(SYS_sigaltstack, 0, armed);
  armed->ss_flags &= ~SS_ONSTACK;
  if (altstack_armed(*armed)) return 0;
  // Disabled: ours in its place (nothing is armed, so this stack pointer is on none).
  if (std::optional<stack_t> ours = arm_private_altstack(tid)) *armed = *ours;
  return 0;
}

}  // namespace redirect::inproc
