// clone, clone3, fork and vfork, made by the handler itself: Syscall User Dispatch is cleared
// in every new task, so each child must arm it again before running any code of the program.
// - A child on a stack of its own (threads; posix_spawn's clone(CLONE_VM|CLONE_VFORK, stack)):
//   the program's registers are parked at the top of that stack and the child starts in
//   gadget.S's redirect_inproc_clone_into, which re-arms and jumps to the program's return
//   address as SYSRET would.
// - A child on a copy of our stack (fork, clone without a stack): it returns from the call
//   inside the handler, re-arms and returns through its copy of the signal frame.
// - vfork, and clone(CLONE_VM|CLONE_VFORK) without a stack, share the parent's stack: a real
//   vfork, whose child enters the program without returning through the handler
//   (vfork_child.h).
#pragma once

#include <ucontext.h>

#include <array>

namespace redirect::inproc {

/// Makes call `nr` (clone, clone3, fork or vfork) with arguments `a` for the program whose
/// registers are in `uc`. Returns what the program's call returns.
long create_task(long nr, const std::array<long, 6>& a, ucontext_t* uc);

}  // namespace redirect::inproc
