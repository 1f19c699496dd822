// Whether the calling thread is the only one that can execute the program's code right now:
// the condition for rewriting a syscall site (lazy_sites.h), since patching code another thread
// may be executing is cross-modifying code, which x86 does not make safe for a plain store.
// The handler makes every clone itself, so it can count: a CLONE_THREAD child adds one, a
// thread's `exit` takes one away. A child that shares the address space without being a thread
// (CLONE_VM without CLONE_THREAD) is not in /proc/self/status's count: while one made with
// CLONE_VFORK runs (its parent waits in the clone until it execs or exits) nothing is patched,
// and one made without CLONE_VFORK stops patching for good. The count is a fast filter: a
// process that never made a thread is known to be alone with no system call; once threads were
// made, "one" is confirmed from /proc/self/status (a thread that called exit is counted there
// until it is gone, so the check errs towards "not alone").
#pragma once

#include <array>

namespace redirect::inproc {

/// What note_task_creation() saw, for note_task_created().
struct TaskCreation {
  bool thread = false;          // CLONE_THREAD
  bool shares_memory = false;   // CLONE_VM without CLONE_THREAD, waited for (CLONE_VFORK)
};

/// Before the handler makes clone, clone3, fork or vfork (`nr`, arguments `a`): counts the
/// thread or memory-sharing child about to be made. Unreadable clone3 arguments count as a
/// sharing child without CLONE_VFORK (the call will fail with EFAULT; patching stops).
[[nodiscard]] TaskCreation note_task_creation(long nr, const std::array<long, 6>& a);

/// After it, in the caller with `result` (the new tid or -errno), or in a child that returned
/// through the handler (result 0: a fork-like child with memory of its own, alone in it).
void note_task_created(const TaskCreation& c, long result);

/// At a trapped `exit` (one thread ends), just before it is made.
void note_thread_exit();

/// False when the counts alone say another thread or a memory-sharing child exists; no system
/// call. True does not mean alone: ask sole_thread().
[[nodiscard]] bool may_be_sole_thread();

/// True while no thread and no memory-sharing child was ever made here (since the start, or
/// the fork that made this process): alone for certain, with no system call.
[[nodiscard]] bool never_shared_memory();

/// Whether the calling thread is alone in the address space, as above. Reads /proc/self/status
/// (raw system calls, a buffer on the caller's stack) only when threads were made before;
/// false when it cannot be read.
[[nodiscard]] bool sole_thread();

}  // namespace redirect::inproc
