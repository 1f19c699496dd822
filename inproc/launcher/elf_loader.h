// Mapping a checked static executable (elf_image.h) into the launcher's own address space, as
// the kernel's load_elf_binary() would have: PT_LOAD segments at their fixed addresses (ET_EXEC)
// or at a reserved, aligned base (ET_DYN, static-pie), the file's bytes private and
// copy-on-write, the rest of the last file page and the bss zeroed, each segment left with the
// protections its p_flags ask for. The surprising part is what is already there: the launcher
// itself, its stack, heap and vDSO. A fixed-address program that lands on any of them is
// refused before anything is mapped (MAP_FIXED_NOREPLACE on the whole span first), so a
// collision is an error message, not a launcher whose own code was just replaced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "inproc/launcher/elf_image.h"

namespace redirect::inproc {

/// Where a program ended up: the numbers its auxiliary vector must carry.
struct LoadedImage {
  std::uintptr_t bias = 0;   // added to every p_vaddr (0 for ET_EXEC)
  std::uintptr_t entry = 0;  // AT_ENTRY
  std::uintptr_t phdr = 0;   // AT_PHDR
  std::uint16_t phnum = 0;   // AT_PHNUM
};

/// An address range [begin, end) already taken.
struct AddressRange {
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
};

/// Refuses a fixed-address image whose span meets `launcher` (the launcher's own image), with
/// a sentence naming both ranges. Position-independent images always pass.
[[nodiscard]] std::optional<std::string> check_clear_of(const StaticElf& image,
                                                        AddressRange launcher);

struct LoadResult {
  std::optional<LoadedImage> loaded;
  std::string why;  // set when `loaded` is not: which mapping failed and the errno text
};

/// Maps `image` from the open file `fd`. On failure nothing the launcher relies on was touched
/// (only the program's own reserved span, which is released again) and `why` says what failed.
[[nodiscard]] LoadResult map_static_elf(int fd, const StaticElf& image);

}  // namespace redirect::inproc
