// Which trapped calls the SIGSYS handler makes again right where the kernel delivered the
// signal, without the thread's private stack. Finding that stack costs a gettid and a table
// lookup per trap, and switching to it moves the handler ~100 KB away from the frame the kernel
// just wrote; neither is needed for a call no rule names and the handler has no work for (close,
// read, getppid: most of what a program makes), which only has to be made again from our
// region, a few hundred bytes below the kernel's frame.
// Only on a thread without an alternate signal stack: there the frame is on the program's own
// stack, where a signal that arrives meanwhile nests as it would natively. On an alternate
// stack (often 8 KB) the kernel's frame already takes ~3 KB; a program's handler nested below
// it could overflow it, so such a thread keeps the private stack, with its alternate stack
// parked (signal_layer.h).
#pragma once

#include <ucontext.h>

#include "inproc/runtime.h"

namespace redirect::inproc {

/// Whether the handler has work of its own for x86_64 call `nr`: a rule names it, or it is one
/// of the calls the handler emulates or wraps (signals, task creation, prctl, chroot, exec,
/// getcwd when a prefix rule reads it back).
[[nodiscard]] bool needs_handler(const Runtime* rt, long nr);

/// Whether x86_64 call `nr`, trapped with `uc`, is made in place: the thread has no alternate
/// stack armed and the handler has no work for the call (needs_handler).
[[nodiscard]] bool runs_in_place(const Runtime* rt, long nr, const ucontext_t* uc);

}  // namespace redirect::inproc
