// The initial process stack a static program expects at its entry point, built by the
// launcher the way the kernel's create_elf_tables() builds it (System V psABI "Initial Process
// Stack"): from the stack pointer up, argc, argv[] and a null, envp[] and a null, auxiliary
// vector pairs ending in AT_NULL, and above them the bytes some pairs point at. The auxiliary
// vector is the launcher's own, which the kernel filled for the launcher's exec (hardware
// capabilities, page size, vDSO, uids, secure mode...), with the entries that describe the
// executable replaced by the loaded program's: AT_PHDR, AT_PHENT, AT_PHNUM, AT_ENTRY, AT_BASE
// (0: no interpreter), AT_EXECFN (the program's path) and AT_RANDOM (16 new bytes, so the
// program's stack canary and pointer guard are not the launcher's). AT_EXECFD is dropped.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "inproc/launcher/elf_loader.h"

namespace redirect::inproc {

/// More auxv entries than this (the kernel writes about 25) are not passed on.
inline constexpr std::size_t max_aux_entries = 64;

/// One auxiliary vector pair, as the kernel lays it out on a 64-bit stack.
struct AuxEntry {
  std::uint64_t type = 0;
  std::uint64_t value = 0;
};

struct StackFacts {
  std::span<char* const> argv;          // the program's arguments (not null-terminated here)
  std::span<char* const> envp;          // its environment (likewise)
  std::span<const AuxEntry> inherited;  // the launcher's auxv, without the AT_NULL
  LoadedImage image;
  const char* execfn = nullptr;  // copied into the frame; AT_EXECFN points at the copy
  std::array<std::uint8_t, 16> random{};
};

/// Writes the frame at the top of `region` (a part of the stack not in use) and returns the
/// stack pointer to enter the program with: 16-byte aligned, pointing at argc. Returns 0 when
/// the frame does not fit; nothing below the returned pointer is written. Allocates nothing
/// and makes no system call (it runs after the runtime is armed).
[[nodiscard]] std::uintptr_t write_initial_stack(std::span<std::byte> region,
                                                 const StackFacts& facts);

/// The number of bytes write_initial_stack needs for `facts` (alignment included).
[[nodiscard]] std::size_t initial_stack_size(const StackFacts& facts);

}  // namespace redirect::inproc
