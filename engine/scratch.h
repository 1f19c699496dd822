// Where a call's new strings go inside the scratch memory chosen for it (scratch_area.h): one
// after the other from the start of a slot of redirect's own mapping or, where no mapping could
// be made, one below the other beneath the stack pointer minus the ABI's red zone (PRoot
// src/tracee/mem.c alloc_mem), each 16-byte aligned. Pure arithmetic, so a unit test pins the
// alignment, red-zone and bound rules. The surprise behind the stack case's bound: memory below
// the stack pointer is dead only on a big thread stack; on a goroutine or makecontext stack it
// is soon another stack's memory, so the fallback never goes further than stack_fallback_bound.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/remote_mem.h"
#include "rules/sys.h"

namespace redirect::engine {

/// Addresses for up to 6 strings.
struct ScratchLayout {
  std::array<RemotePtr, rules::kSyscallArgs> at{};  ///< at[i]: where string i (with its NUL) starts
  RemotePtr lowest;               ///< the lowest byte used
};

/// Lays out strings of `sizes` bytes (NUL included), the first one highest, each 16-byte
/// aligned, below `sp - red_zone`. Pure. Returns nullopt when they would wrap below address 0
/// or more than 6 strings are given (never for a real stack).
[[nodiscard]] std::optional<ScratchLayout> layout_scratch(std::uint64_t sp, unsigned red_zone,
                                                          std::span<const std::size_t> sizes);

/// Lays out strings of `sizes` bytes (NUL included), the first one lowest, each 16-byte
/// aligned, from `base` on. Pure. nullopt when they do not fit in `capacity` bytes.
[[nodiscard]] std::optional<ScratchLayout> layout_in_slot(RemotePtr base, std::size_t capacity,
                                                          std::span<const std::size_t> sizes);

}  // namespace redirect::engine
