// Which alternate signal stack the kernel holds for a thread. A trapped call's SIGSYS frame
// (~3 KB) and our handler's first frames go on the alternate stack, or, without one, on the
// program's stack at its stack pointer. The program's stack is not always ours to write on:
// a Go thread that ends disables its alternate stack, marks its stack free for another thread
// to take, and only then calls exit, which traps. So whenever the program has no alternate
// stack armed on a thread, the kernel holds the thread's private stack (thread_stacks.h) as
// one, and every trap lands there:
// - at a thread's start (the main thread when the runtime arms; each child on its way back to
//   the program), and at any trap that finds none armed;
// - when the program disables its own, ours goes back in its place.
// The program is told what it set: a query answers "disabled" while ours is armed (or, for a
// handler of the program's that the kernel ran on our stack, that it runs on that stack:
// private_stack_holding), and its own stack is read back as it set it.
// The cost: a program's handler with SA_ONSTACK, on a thread with no alternate stack of the
// program's, runs on the private stack instead of the thread's own stack.
#pragma once

#include <signal.h>

#include <cstdint>
#include <optional>

namespace redirect::inproc {

inline constexpr stack_t kNoAltstack{nullptr, SS_DISABLE, 0};

/// Whether settings `s` arm a stack (a never-set stack is {0, 0, 0}).
[[nodiscard]] inline bool altstack_armed(const stack_t& s) {
  return !(s.ss_flags & SS_DISABLE) && s.ss_size != 0;
}

/// The program's own alternate stack in settings `saved`: kNoAltstack for none or ours.
[[nodiscard]] stack_t programs_own(const stack_t& saved);

/// Arms thread `tid`'s private stack as the kernel's alternate stack of the calling thread,
/// which must be `tid` and must not be running on the alternate stack it has. Returns the
/// settings armed, or nullopt when no private stack could be had (or the kernel refused it).
std::optional<stack_t> arm_private_altstack(int tid);

/// What the program set as thread `tid`'s alternate stack, given the settings `saved` in the
/// trap's frame and the program's stack pointer `sp`: "disabled" for our private stack, unless
/// `sp` lies on it (then that stack, SS_ONSTACK).
[[nodiscard]] stack_t program_altstack(int tid, const stack_t& saved, std::uintptr_t sp);

/// sigaltstack(ss, nullptr), made with the stack pointer on no stack and every signal blocked:
/// the kernel refuses a change made from the alternate stack, and the handler runs on one (the
/// private stack), as does a forked child on its copy of it. Returns 0 or -errno.
long set_altstack_off_stack(const stack_t* ss);

/// The program's sigaltstack(ss, nullptr) on thread `tid`, checked by the kernel as the
/// program's own call would be (EINVAL, ENOMEM) and applied at once, or, when it disables the
/// stack, the private stack armed in its place. On success `*armed` is what the kernel holds
/// now, for the trap's frame to restore.
long apply_program_altstack(const stack_t* ss, stack_t* armed, int tid);

}  // namespace redirect::inproc
