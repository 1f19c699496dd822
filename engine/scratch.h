// Where rewritten strings go in the tracee: on its own stack, below the stack pointer minus
// the ABI's red zone, one below the other, each 16-byte aligned (PRoot src/tracee/mem.c
// alloc_mem, rr src/AutoRemoteSyscalls.h AutoRestoreMem). The surprise that makes this safe
// without any undo: memory below the stack pointer (past the red zone) is dead to the tracee
// while it is stopped in a syscall, and the only thing that must be undone, the argument
// registers pointing into it, is restored at the syscall's exit stop (see rewriter.h). The
// same stop also means a signal handler's frame, which may overwrite this area, only runs
// after the restore, so a restarted syscall gets its original pointers back.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/remote_mem.h"
#include "rules/sys.h"

namespace redirect::engine {

/// Addresses for up to 6 strings below the stack pointer.
struct ScratchLayout {
  std::array<RemotePtr, rules::kSyscallArgs> at{};  ///< at[i]: where string i (with its NUL) starts
  RemotePtr lowest;               ///< the lowest byte used
};

/// Lays out strings of `sizes` bytes (NUL included), the first one highest, each 16-byte
/// aligned, below `sp - red_zone`. Pure. Returns nullopt when they would wrap below address 0
/// or more than 6 strings are given (never for a real stack).
[[nodiscard]] std::optional<ScratchLayout> layout_scratch(std::uint64_t sp, unsigned red_zone,
                                                          std::span<const std::size_t> sizes);

}  // namespace redirect::engine
