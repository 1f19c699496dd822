// How the SIGSYS handler moves onto the thread's private stack (thread_stacks.h) when the
// thread has an alternate signal stack armed. The kernel wrote the trap's frame at the top of
// that stack; once the handler runs elsewhere, a signal with SA_ONSTACK would be written at the
// top again, over the trap's frame (and over a program handler's frames when the trap came
// from one), so the alternate stack is parked (disabled) while the handler is away. Switching
// stacks and then parking leaves a gap of a few dozen instructions in which such a signal
// arrives (Go's preemption signal, SIGURG, hit it about once a hundred runs of a goroutine
// stress program); so both are made by one rt_sigreturn, which sets the stack pointer, the
// alternate stack and the mask at once, before any signal can be delivered. The trap ends with
// the rt_sigreturn of its own frame, made from the private stack.
#pragma once

#include <ucontext.h>

namespace redirect::inproc {

/// Runs fn(arg) on the private stack whose top (16-byte aligned) is `top`, for the trap whose
/// kernel frame holds `uc`. Without an alternate stack armed in `uc` (or one already parked),
/// it switches stacks, calls fn and returns. Otherwise it never returns: fn runs with the
/// alternate stack parked, then the trap's frame is returned through, as the handler's
/// restorer would (whatever fn wrote into `uc` takes effect, as it does on return).
void run_on_private_stack(void (*fn)(void*), void* arg, void* top, ucontext_t* uc);

}  // namespace redirect::inproc
