// Running a syscall of ours inside a tracee (rr src/AutoRemoteSyscalls.cc, PRoot
// src/syscall/chain.c): the call the tracee is stopped at is turned into ours, run to its exit
// stop, and then every register is put back with the instruction pointer rewound onto the
// syscall instruction, so the program's own call runs again and stops at its entry anew. The
// surprise that makes one call per stop the right size: between the exit stop and the next
// syscall instruction the tracee returns to user mode, where a pending signal (Go preempts
// goroutines with SIGURG all the time) would be delivered; a chain of injected calls would have
// to handle that stop itself, while a rewound call simply lets the wait loop handle it and
// re-executes afterwards, as a restarted syscall does after a handler.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/regs.h"

namespace redirect::engine {

/// What happened to a syscall run in a tracee in place of its own.
struct InjectedCall {
  bool done = false;  ///< false: the tracee died meanwhile (its status is in `stolen`)
  long result = 0;    ///< done: the kernel's return value (-errno on failure)
};

/// Wait statuses taken by inject_syscall() for the tracer's loop to handle as if waitpid had
/// returned them.
using StolenStatuses = std::vector<std::pair<pid_t, int>>;

/// `tid` is stopped at the entry of `e` (seccomp or PTRACE_SYSCALL entry stop): runs syscall
/// `nr` of e's ABI with `args` instead, waits for its exit stop (that tid alone), and puts every
/// register back, rewound so that the tracee executes its own call again when resumed (it stops
/// at that call's entry again). Throws fmt::system_error naming the pid when a ptrace call fails
/// for a reason other than the tracee's death.
[[nodiscard]] InjectedCall inject_syscall(pid_t tid, const SyscallEntry& e, long nr,
                                          const std::array<std::uint64_t, rules::kSyscallArgs>& args,
                                          StolenStatuses& stolen);

}  // namespace redirect::engine
