// How the SIGSYS handler moves onto the thread's private stack (thread_stacks.h) when the
// thread has an alternate signal stack of the program's armed (otherwise the private stack is
// the armed one, private_altstack.h, and the trap's frame is on it already). The kernel wrote
// the trap's frame at the top of the program's stack; once the handler runs elsewhere, a
// signal with SA_ONSTACK would be written at the top again, over the trap's frame (and over a
// program handler's frames when the trap came from one), so the private stack is armed in its
// place while the handler is away. Switching
// stacks and then parking leaves a gap of a few dozen instructions in which such a signal
// arrives (Go's preemption signal, SIGURG, hit it about once a hundred runs of a goroutine
// stress program); so both are made by one rt_sigreturn, which sets the stack pointer, the
// alternate stack and the mask at once, before any signal can be delivered. The trap ends with
// the rt_sigreturn of its own frame, made from the private stack.
#pragma once

#include <ucontext.h>

namespace redirect::inproc {

/// Runs fn(arg) on thread `tid`'s private stack from `top` (16-byte aligned) down, for the trap
/// whose kernel frame holds `uc` and lies elsewhere (a frame on the private stack needs no
/// move: the handler runs it where it is). With no alternate stack armed in `uc` (which then
/// arms the private one for after the trap), it switches stacks, calls fn and returns.
/// Otherwise it never returns: fn runs with the private stack armed in place of the program's,
/// then the trap's frame is returned through, as the handler's restorer would (whatever fn
/// wrote into `uc` takes effect, as it does on return).
void run_on_private_stack(void (*fn)(void*), void* arg, void* top, ucontext_t* uc, int tid);

}  // namespace redirect::inproc
