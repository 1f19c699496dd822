// The part of the kernel's signal frame that rt_sigreturn reads on x86_64 (asm/ucontext.h,
// asm/sigcontext.h): frames the handler builds itself (to enter the private stack, to start a
// vfork child) must have this layout. rt_sigreturn takes the frame at its stack pointer
// (arch/x86/kernel/signal_64.c: rt_sigframe = sp - 8, its ucontext at sp) and loads every
// register from it, the mask from its sigmask and the alternate stack from its stack.
#pragma once

#include <signal.h>
#include <ucontext.h>

#include <cstddef>
#include <cstdint>

namespace redirect::inproc {

/// The kernel's struct ucontext up to uc_sigmask. glibc's gregs_t has the kernel's sigcontext
/// order.
struct KernelUcontext {
  unsigned long flags;
  void* link;
  stack_t stack;
  greg_t gregs[NGREG];
  void* fpstate;
  unsigned long reserved[8];
  std::uint64_t sigmask;
};
static_assert(offsetof(KernelUcontext, gregs) == offsetof(ucontext_t, uc_mcontext.gregs));
static_assert(offsetof(KernelUcontext, fpstate) == offsetof(ucontext_t, uc_mcontext.fpregs));
static_assert(offsetof(KernelUcontext, sigmask) == offsetof(ucontext_t, uc_sigmask));

}  // namespace redirect::inproc
