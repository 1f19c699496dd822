// The handler's private stacks, one per thread, found without TLS (a dynamic TLS access can
// allocate, and a static program run by the launcher has no TLS of ours): a fixed table of
// (tid, stack) pairs, claimed with a compare-and-swap. The handler runs every call on its
// thread's private stack, not on the stack the kernel picked: path resolution keeps ~100 KB
// of buffers in its frames, far more than a program's alternate signal stack (8 KB is common)
// or a goroutine stack holds. A SIGSYS that nests inside the handler (a program's signal
// handler that runs while our re-issued call blocks, and makes a call) continues below the
// current frame on the same private stack, so each nesting level has buffers of its own.
// Each thread's private stack is also its alternate signal stack whenever the program has none
// of its own (private_altstack.h), so a stack is claimed when the thread starts (or at its first
// trap), and reused once its thread is gone.
#pragma once

#include <signal.h>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace redirect::inproc {

/// Size of one private stack (mapped lazily: untouched pages cost nothing), with a guard page
/// below it.
inline constexpr std::size_t kPrivateStackBytes = 2u << 20;

/// The alternate-stack settings that arm a private stack: these flags mark it as ours in the
/// frames the kernel saves (it keeps a stack's flags as set, and treats SS_ONSTACK as 0).
inline constexpr int kPrivateStackFlags = SS_ONSTACK;

/// Thread `tid`'s private stack as the stack_t that arms it ({base, kPrivateStackFlags,
/// size}), claimed and mapped on first use. Nullopt when no stack could be had.
[[nodiscard]] std::optional<stack_t> private_stack_of(int tid);

/// Whether `s`, alternate-stack settings as a frame saved them, has the marks of a private
/// stack (flags and size; no system call, no lookup): a cheap test for where a frame lies.
[[nodiscard]] bool looks_private(const stack_t& s);

/// In a child with memory of its own (fork): every stack the table lists belonged to a thread
/// of the parent, none of which exists here, so each is free for this process's threads.
void release_parent_stacks();

/// Frees thread `tid`'s private stack for another thread to take (a vfork child that left
/// this address space).
void release_stack_of(int tid);

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
