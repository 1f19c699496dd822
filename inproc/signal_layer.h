// What the program sees of signals while our SIGSYS handler owns SIGSYS, emulated so that it
// sees what it would natively:
// - SIGSYS is virtual: the program's sigaction(SIGSYS) is kept here and read back, and a
//   SIGSYS that is not ours (raise, a seccomp filter of the program's) goes to that handler.
// - SIGSYS is never blocked: a mask that would block it would make the next trapped call kill
//   the process (force_sig resets a blocked SIGSYS to the default action). It is taken out of
//   every mask the program sets, and out of every handler's sa_mask.
// - rt_sigprocmask and sigaltstack inside our handler would be undone by its rt_sigreturn,
//   which restores uc_sigmask and uc_stack: both are applied to the ucontext instead.
// - sigaltstack answers what the program set, though the kernel holds our private stack
//   whenever the program has none (private_altstack.h). A program's handler that the kernel
//   runs on our private stack is told that it runs on an alternate stack, that one: it does,
//   and Go's runtime checks it.
// - rt_sigreturn from the program's own restorer traps too: made again from our region.
// Contract of each: the call's result (0 or -errno), with the kernel's errors (EFAULT for a
// bad pointer, EINVAL, EPERM on the alternate stack) where the kernel would give them.
#pragma once

#include <signal.h>
#include <ucontext.h>

#include <array>
#include <cstdint>

namespace redirect::inproc {

/// The kernel's struct sigaction (asm/signal.h) on x86_64.
struct KernelSigaction {
  void* handler = nullptr;
  unsigned long flags = 0;
  void* restorer = nullptr;
  std::uint64_t mask = 0;
};

inline constexpr std::uint64_t kSigsysBit = 1ull << (SIGSYS - 1);
/// SA_RESTORER (asm/signal.h; glibc does not export it): sa_restorer is set.
inline constexpr unsigned long kSaRestorer = 0x04000000;

long emulate_sigaction(const std::array<long, 6>& a);
long emulate_sigprocmask(const std::array<long, 6>& a, ucontext_t* uc);
long emulate_sigaltstack(const std::array<long, 6>& a, ucontext_t* uc);

/// A SIGSYS that is not a dispatch trap of ours: delivered to the program's handler as the
/// kernel would (or the default action: the process dies of SIGSYS).
void forward_sigsys(int sig, siginfo_t* info, ucontext_t* uc);

}  // namespace redirect::inproc
