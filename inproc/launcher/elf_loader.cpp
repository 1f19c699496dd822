// Segment mapping in the order of fs/binfmt_elf.c: reserve the whole span, map each segment's
// file pages over it, zero the partial page after p_filesz (padzero) and map anonymous pages
// for the rest of p_memsz (the bss), then set the final protections.
#include "inproc/launcher/elf_loader.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace redirect::inproc {
namespace {

std::uintptr_t page_down(std::uintptr_t a, std::uintptr_t page) { return a & ~(page - 1); }
std::uintptr_t page_up(std::uintptr_t a, std::uintptr_t page) {
  return page_down(a + page - 1, page);
}

std::string errno_text(int err) { return std::strerror(err); }

// Reserves the fixed span [lo, hi) or says which neighbour is in the way.
std::optional<std::string> reserve_fixed(std::uintptr_t lo, std::uintptr_t hi) {
  void* want = reinterpret_cast<void*>(lo);
  void* got =
      mmap(want, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (got == want) return std::nullopt;
  const int err = errno;
  if (got != MAP_FAILED) munmap(got, hi - lo);  // a kernel older than 4.17 took it as a hint
  if (got != MAP_FAILED || err == EEXIST)
    return fmt::format(
        "its addresses {:#x}-{:#x} are already in use by the launcher's process "
        "(its stack, heap or vDSO)",
        lo, hi);
  if (err == EPERM) return fmt::format("its address {:#x} is below vm.mmap_min_addr", lo);
  return fmt::format("cannot reserve {:#x}-{:#x}: {}", lo, hi, errno_text(err));
}

// Reserves span bytes at a kernel-chosen base aligned to `align`; returns the bias.
std::optional<std::uintptr_t> reserve_anywhere(const StaticElf& image, std::string& why) {
  const std::uintptr_t span = image.highest() - image.lowest();
  const std::uintptr_t align = image.max_align;
  void* got = mmap(nullptr, span + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (got == MAP_FAILED) {
    why = fmt::format("cannot reserve {} bytes: {}", span + align, errno_text(errno));
    return std::nullopt;
  }
  const auto raw = reinterpret_cast<std::uintptr_t>(got);
  const std::uintptr_t base = page_up(raw, align);
  if (base > raw) munmap(got, base - raw);
  if (raw + span + align > base + span)
    munmap(reinterpret_cast<void*>(base + span), raw + span + align - (base + span));
  return base - image.lowest();
}

// Maps one segment at `bias`; the file part stays writable until finish_segment.
std::optional<std::string> map_segment(int fd, const LoadSegment& s, std::uintptr_t bias,
                                       std::uintptr_t page) {
  const std::uintptr_t start = bias + s.vaddr;
  const std::uintptr_t file_end = start + s.filesz;
  const std::uintptr_t mem_end = start + s.memsz;
  std::uintptr_t anon_from = page_down(start, page);
  if (s.filesz > 0) {
    void* at = reinterpret_cast<void*>(page_down(start, page));
    const auto off = static_cast<off_t>(s.offset - (start - page_down(start, page)));
    if (mmap(at, file_end - page_down(start, page), s.prot | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
             fd, off) == MAP_FAILED)
      return fmt::format("cannot map the segment at {:#x}: {}", s.vaddr, errno_text(errno));
    anon_from = page_up(file_end, page);
    if (s.memsz > s.filesz) std::memset(reinterpret_cast<void*>(file_end), 0, anon_from - file_end);
  }
  if (page_up(mem_end, page) > anon_from &&
      mmap(reinterpret_cast<void*>(anon_from), page_up(mem_end, page) - anon_from, s.prot,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
    return fmt::format("cannot map the bss of the segment at {:#x}: {}", s.vaddr,
                       errno_text(errno));
  return std::nullopt;
}

std::optional<std::string> protect_segment(const LoadSegment& s, std::uintptr_t bias,
                                           std::uintptr_t page) {
  if (s.filesz == 0) return std::nullopt;
  const std::uintptr_t from = page_down(bias + s.vaddr, page);
  const std::uintptr_t to = page_up(bias + s.vaddr + s.filesz, page);
  if (mprotect(reinterpret_cast<void*>(from), to - from, s.prot) != 0)
    return fmt::format("cannot protect the segment at {:#x}: {}", s.vaddr, errno_text(errno));
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_clear_of(const StaticElf& image, AddressRange launcher) {
  if (image.position_independent) return std::nullopt;
  if (image.highest() <= launcher.begin || image.lowest() >= launcher.end) return std::nullopt;
  return fmt::format("its addresses {:#x}-{:#x} overlap the launcher's own image at {:#x}-{:#x}",
                     image.lowest(), image.highest(), launcher.begin, launcher.end);
}

LoadResult map_static_elf(int fd, const StaticElf& image) {
  LoadResult result;
  std::uintptr_t bias = 0;
  if (image.position_independent) {
    const auto got = reserve_anywhere(image, result.why);
    if (!got) return result;
    bias = *got;
  } else if (auto bad = reserve_fixed(image.lowest(), image.highest())) {
    result.why = *bad;
    return result;
  }
  for (const LoadSegment& s : image.segments) {
    auto bad = map_segment(fd, s, bias, image.page_size);
    if (!bad) bad = protect_segment(s, bias, image.page_size);
    if (bad) {
      munmap(reinterpret_cast<void*>(bias + image.lowest()), image.highest() - image.lowest());
      result.why = *bad;
      return result;
    }
  }
  result.loaded = LoadedImage{.bias = bias,
                              .entry = bias + image.entry,
                              .phdr = bias + image.phdr_vaddr,
                              .phnum = image.phnum};
  return result;
}

}  // namespace redirect::inproc
