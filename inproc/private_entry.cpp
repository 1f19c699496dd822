// run_on_private_stack (see private_entry.h). The entry is a signal frame of our own, built
// near the private stack's top and returned through at once: rt_sigreturn takes the frame at
// its stack pointer (arch/x86/kernel/signal_64.c: frame = sp - 8, then frame->uc), loads every
// register from uc_mcontext, the mask from uc_sigmask, and the alternate stack from uc_stack.
// The frame must not lie on the alternate stack itself: the kernel refuses the change of
// alternate stack (EPERM, silently) when the stack pointer of the rt_sigreturn call is on it,
// as it was measured to on Linux 6.18. The stack pointer therefore leaves the alternate stack
// before the call, with signals blocked for those instructions; the frame unblocks them.
// The frame has no FPU state: the kernel then resets the FPU (fpu__restore_sig with a null
// buffer), which costs nothing here, since the trap's own frame restores the program's state.
#include "inproc/private_entry.h"

#include <signal.h>
#include <sys/syscall.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "inproc/kernel_frame.h"
#include "inproc/raw_syscall.h"
#include "inproc/private_altstack.h"
#include "inproc/signal_layer.h"
#include "inproc/thread_stacks.h"

extern "C" void redirect_inproc_private_entry();

namespace redirect::inproc {
namespace {

// Where the entry frame goes: this far below the private stack's top, so that the rt_sigframe
// the kernel takes it to be part of (pretcode, ucontext, siginfo) lies inside the stack.
constexpr std::uintptr_t kEntryRoom = 1024;
static_assert(sizeof(KernelUcontext) + 8 + sizeof(siginfo_t) < kEntryRoom);

}  // namespace

void run_on_private_stack(void (*fn)(void*), void* arg, void* top, ucontext_t* uc, int tid) {
  const std::optional<stack_t> ours = private_stack_of(tid);  // it has one: `top` lies on it
  if (!altstack_armed(uc->uc_stack)) {
    // A thread that could not have its private stack armed when it started: from now on.
    if (ours) uc->uc_stack = *ours;
    redirect_inproc_on_stack(fn, arg, top);
    return;
  }
  // Signals wait until the rt_sigreturn puts the program's mask back: from here on, nothing
  // may be delivered at the top of the alternate stack, or nest into the private stack and use
  // the memory the entry frame is built in.
  const std::uint64_t all_but_sigsys = ~kSigsysBit;
  raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all_but_sigsys, 0, 8);
  const auto top_addr = reinterpret_cast<std::uintptr_t>(top);
  auto* entry = reinterpret_cast<KernelUcontext*>((top_addr - kEntryRoom) & ~std::uintptr_t{15});
  *entry = KernelUcontext{};
  entry->stack = ours.value_or(kNoAltstack);
  entry->gregs[REG_RIP] = reinterpret_cast<greg_t>(&redirect_inproc_private_entry);
  entry->gregs[REG_RSP] = static_cast<greg_t>(top_addr);
  entry->gregs[REG_RDI] = reinterpret_cast<greg_t>(arg);
  entry->gregs[REG_RSI] = reinterpret_cast<greg_t>(fn);
  entry->gregs[REG_RBX] = reinterpret_cast<greg_t>(uc);
  entry->gregs[REG_EFL] = 0x202;                                 // IF, as in user mode
  entry->gregs[REG_CSGSFS] = uc->uc_mcontext.gregs[REG_CSGSFS];  // the user code and stack segments
  std::memcpy(&entry->sigmask, &uc->uc_sigmask, sizeof entry->sigmask);  // the program's mask
  redirect_inproc_sigreturn_at(entry);
}

}  // namespace redirect::inproc
