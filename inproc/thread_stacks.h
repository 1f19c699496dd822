// The handler's private stacks, one per thread, found without TLS (a dynamic TLS access can
// allocate, and a static program run by the launcher has no TLS of ours): a fixed table of
// (tid, stack) pairs, claimed with a compare-and-swap. The handler runs every call on its
// thread's private stack, not on the stack the kernel picked: path resolution keeps ~100 KB
// of buffers in its frames, far more than a program's alternate signal stack (8 KB is common)
// or a goroutine stack holds. A SIGSYS that nests inside the handler (a program's signal
// handler that runs while our re-issued call blocks, and makes a call) continues below the
// current frame on the same private stack, so each nesting level has buffers of its own.
// Stacks are mapped at a thread's first trap and reused once their thread is gone.
#pragma once

#include <signal.h>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace redirect::inproc {

/// Size of one private stack (mapped lazily: untouched pages cost nothing), with a guard page
/// below it.
inline constexpr std::size_t kPrivateStackBytes = 2u << 20;

/// Where the calling thread (`tid`) runs the handler: the top of its private stack, or just
/// below `current_sp` when that is already on it (a nested trap). Null when no stack could be
/// had (the table is full of live threads, or mmap failed).
void* private_stack_top(int tid, const void* current_sp);

/// Thread `tid`'s private stack, described as sigaltstack() would describe an alternate stack
/// it is running on ({base, SS_ONSTACK, size}), when `sp` lies on it: the program's code at
/// `sp` is a signal handler that the kernel delivered while our handler ran there. Nullopt
/// when `sp` is elsewhere or the thread has no private stack. Makes no system call.
[[nodiscard]] std::optional<stack_t> private_stack_holding(int tid, std::uintptr_t sp);

}  // namespace redirect::inproc
