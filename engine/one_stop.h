// One stop per rewritten syscall. A rewrite points argument registers at strings in the
// thread's scratch slot (scratch_area.h), and the x86_64 ABI promises the program its argument
// registers back unchanged, so the classic way needs a second stop at the call's exit to put
// them back. Instead, at the entry stop the tracer also writes a header (the program's own
// argument registers and its return address) into the slot and points the instruction pointer
// at the slot's return stub (arch.h ReturnStub): the kernel returns there, the stub reloads the
// registers and jumps back after the program's `syscall`, and the tracer never stops at the
// exit. What the program could see of the stub is taken away: a restart rewinds into the stub's
// first bytes, which jump onto the program's own syscall instruction (so the call runs again
// from the program's code, with its registers); and a signal-delivery stop that finds the
// thread inside its stub finishes the stub's work in the registers before the kernel builds
// the signal frame (leave_stub), so a handler's ucontext, a core dump and the registers after
// rt_sigreturn hold the program's own state. The surprise that limits it: after a seccomp stop
// the kernel runs the seccomp filters again on the changed registers, instruction pointer
// included, so a program's own filter that checks it would see the stub; once a program
// installs a filter, rewrites take two stops again (own_traps.h).
#pragma once

#include <array>
#include <cstdint>

#include "engine/arch/arch.h"
#include "engine/regs.h"
#include "engine/tracee.h"

namespace redirect::engine {

/// The header a one-stop rewrite of `e` (an ABI with a ReturnStub) writes into its slot.
using StubHeader = std::array<std::uint64_t, arch::ReturnStub::header_words>;
[[nodiscard]] StubHeader stub_header(const SyscallEntry& e);

/// What leave_stub() found.
enum class StubExit : std::uint8_t {
  outside,    ///< the thread was not in its stub: nothing changed
  unwound,    ///< it was, the call over (its result register read): the registers now hold
              ///< the program's state; deliver the signal
  rewound,    ///< it was, the call rewound for a restart: unwound onto the program's syscall
              ///< instruction, which runs the call again
  own_fault,  ///< it was, and the signal is the stub's own fault (its chunk was unmapped):
              ///< unwound too, and the signal is not the program's
  gone,       ///< the tracee died
};

/// At a signal-delivery stop of `t` for `sig`, while a stub call of `t` may be running
/// (t.stub_call.stub != 0, which this clears): if the thread is inside the stub, puts back the
/// program's argument registers and sets the instruction pointer after its syscall
/// instruction, or onto it when the kernel had rewound the call for a restart. With
/// `unwound`, `result` is the call's result register (a restart code when the signal's
/// delivery decides whether the call runs again). Throws fmt::system_error (pid named) when a
/// ptrace call fails for a reason other than the tracee's death.
[[nodiscard]] StubExit leave_stub(Tracee& t, int sig, long& result);

}  // namespace redirect::engine
