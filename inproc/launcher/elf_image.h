// Reading and checking a static ELF executable before the in-process launcher maps it. The
// launcher replaces the kernel's ELF loader for programs no ld.so will ever see (static glibc,
// static-pie, Go built with CGO_ENABLED=0), so it must refuse everything the kernel would
// refuse, and say why, before it changes a single mapping: after the first MAP_FIXED there is
// no going back to a clean error. A PT_INTERP is not an error but a different verdict: the
// program is dynamic and belongs to ld.so (and to LD_AUDIT), not to this loader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace redirect::inproc {

/// One PT_LOAD, in the file's own addresses (before any load bias).
struct LoadSegment {
  std::uint64_t vaddr = 0;
  std::uint64_t offset = 0;
  std::uint64_t filesz = 0;
  std::uint64_t memsz = 0;
  int prot = 0;  // PROT_READ | PROT_WRITE | PROT_EXEC from p_flags
};

/// What the loader needs of a checked static executable.
struct StaticElf {
  bool position_independent = false;  // ET_DYN (static-pie): mapped at a base of our choosing
  std::uint64_t entry = 0;
  std::uint64_t phdr_vaddr = 0;  // where the program headers are once loaded (AT_PHDR - bias)
  std::uint16_t phnum = 0;
  std::uint64_t page_size = 4096;
  std::uint64_t max_align = 0;        // the largest PT_LOAD p_align (a page at least)
  bool executable_stack = false;      // PT_GNU_STACK with PF_X
  std::vector<LoadSegment> segments;  // ascending, not overlapping
  std::uint64_t lowest() const;       // page-aligned start of the first segment
  std::uint64_t highest() const;      // page-aligned end of the last segment
};

/// Why a file is not loadable. `dynamic` is the expected answer for most programs.
enum class ElfRefusal { not_elf, dynamic, invalid };

struct ElfCheck {
  std::optional<StaticElf> image;  // set when the file is a static executable we can load
  ElfRefusal refusal = ElfRefusal::invalid;
  std::string why;  // a sentence for the user, without the file name; empty when loadable
};

/// The file as the checker sees it: `read(offset, out, n)` fills `out` with exactly n bytes
/// or returns false (past the end or an I/O error); `size` is its length in bytes.
struct FileBytes {
  std::function<bool(std::uint64_t offset, void* out, std::size_t n)> read;
  std::uint64_t size = 0;
};

/// Checks that `file` is a static executable for `machine` (an EM_* number) with pages of
/// `page_size` bytes: ELF64, little-endian, ET_EXEC or ET_DYN, no PT_INTERP, PT_LOAD segments
/// inside the file, ascending and not overlapping, none at address 0, the entry point inside
/// an executable segment and the program headers inside a loaded one. Never throws for bad
/// input: every refusal is an ElfCheck with a reason.
[[nodiscard]] ElfCheck check_static_elf(const FileBytes& file, std::uint16_t machine,
                                        std::uint64_t page_size);

}  // namespace redirect::inproc
