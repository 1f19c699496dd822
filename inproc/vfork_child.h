// A real vfork in-process: the child shares the parent's memory and runs on its stack, as
// natively, so whatever it stores before exec or _exit (allowed by Linux, undefined by POSIX,
// used by shells and by Go's os/exec) is seen by the parent.
// The handler makes the call with CLONE_VM|CLONE_VFORK from gadget.S's
// redirect_inproc_vfork_from. The parent sleeps in the call until the child execs or exits, so
// the child may use the handler's stack below the parent's stack pointer, which is what a
// native vfork child does with the program's stack. It cannot return through the handler: its
// frames and the trap's frame are the parent's, needed when the parent wakes. So the child arms
// dispatch, takes a private stack of its own as its alternate stack (the kernel gave it the
// parent's, whose top holds the parent's trap frame), and enters the program with an
// rt_sigreturn of a copy of the trap's frame with rax 0, built below the parent's stack
// pointer. Its alternate stack is its own private one, not the parent's, which it shares
// natively: the parent's trap frame lies on that (a vfork child that asks is told it has none).
// Signals are blocked from before the call until that rt_sigreturn puts the
// program's mask back in the child (and until the call returns in the parent, which natively
// sleeps through them too).
#pragma once

#include <ucontext.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace redirect::inproc {

/// Makes `nr` (vfork, or clone/clone3 with CLONE_VM|CLONE_VFORK and no stack; `a` its
/// arguments, `args3`/`size3` the clone_args of a clone3) as a real vfork for the program whose
/// registers are in `uc`. Returns what the parent's call returns.
long vfork_sharing_stack(long nr, const std::array<long, 6>& a, std::uint64_t* args3,
                         std::size_t size3, ucontext_t* uc);

}  // namespace redirect::inproc
