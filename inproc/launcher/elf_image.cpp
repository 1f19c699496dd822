// The checks follow what Linux's fs/binfmt_elf.c load_elf_binary() refuses (elf_check_arch,
// e_phentsize, total_mapping_size) plus what it tolerates only because nothing else is mapped
// yet: a segment at address 0 or overlapping another would silently clobber the launcher here.
#include "inproc/launcher/elf_image.h"

#include <elf.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace redirect::inproc {
namespace {

// More program headers than this is no compiler's output; the kernel's limit is 64 KiB of them.
constexpr std::uint16_t max_phnum = 512;

ElfCheck refuse(ElfRefusal kind, std::string why) {
  return ElfCheck{.image = std::nullopt, .refusal = kind, .why = std::move(why)};
}

int prot_of(std::uint32_t flags) {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
         (flags & PF_X ? PROT_EXEC : 0);
}

std::optional<std::string> check_header(const Elf64_Ehdr& eh, std::uint16_t machine) {
  if (eh.e_ident[EI_CLASS] != ELFCLASS64)
    return "not a 64-bit ELF file (EI_CLASS " + std::to_string(eh.e_ident[EI_CLASS]) + ")";
  if (eh.e_ident[EI_DATA] != ELFDATA2LSB) return std::string("not a little-endian ELF file");
  if (eh.e_machine != machine)
    return fmt::format("built for ELF machine {}, this launcher runs machine {}", eh.e_machine,
                       machine);
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
    return fmt::format("not an executable (ELF type {})", eh.e_type);
  if (eh.e_phentsize != sizeof(Elf64_Phdr))
    return fmt::format("program header entries of {} bytes, expected {}", eh.e_phentsize,
                       sizeof(Elf64_Phdr));
  if (eh.e_phnum == 0 || eh.e_phnum > max_phnum)
    return fmt::format("{} program headers (1 to {} expected)", eh.e_phnum, max_phnum);
  return std::nullopt;
}

// Checks one PT_LOAD against the file and the segment before it.
std::optional<std::string> check_segment(const Elf64_Phdr& ph, const FileBytes& file,
                                         std::uint64_t page_size, const LoadSegment* prev) {
  if (ph.p_filesz > ph.p_memsz)
    return fmt::format("a segment at {:#x} has more file bytes ({}) than memory bytes ({})",
                       ph.p_vaddr, ph.p_filesz, ph.p_memsz);
  if (ph.p_offset > file.size || ph.p_filesz > file.size - ph.p_offset)
    return fmt::format("truncated: the segment at {:#x} needs bytes {} to {}, the file has {}",
                       ph.p_vaddr, ph.p_offset, ph.p_offset + ph.p_filesz, file.size);
  if ((ph.p_vaddr - ph.p_offset) % page_size != 0)
    return fmt::format("the segment at {:#x} is not page-aligned with its file offset {:#x}",
                       ph.p_vaddr, ph.p_offset);
  if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr || ph.p_vaddr + ph.p_memsz > (1ULL << 56))
    return fmt::format("the segment at {:#x} of {} bytes wraps the address space", ph.p_vaddr,
                       ph.p_memsz);
  if (prev && ph.p_vaddr < prev->vaddr + prev->memsz)
    return fmt::format("overlapping segments: {:#x}-{:#x} and {:#x}-{:#x}", prev->vaddr,
                       prev->vaddr + prev->memsz, ph.p_vaddr, ph.p_vaddr + ph.p_memsz);
  return std::nullopt;
}

std::optional<std::string> read_interp(const Elf64_Phdr& ph, const FileBytes& file) {
  std::string name(std::min<std::uint64_t>(ph.p_filesz, 256), '\0');
  if (!file.read(ph.p_offset, name.data(), name.size())) return std::string("?");
  name.resize(std::strlen(name.c_str()));
  return name;
}

// The program headers land in memory when a PT_LOAD covers them (the kernel's AT_PHDR rule).
std::optional<std::uint64_t> loaded_phdr(const Elf64_Ehdr& eh, const StaticElf& image) {
  const std::uint64_t bytes = std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr);
  for (const LoadSegment& s : image.segments)
    if (eh.e_phoff >= s.offset && eh.e_phoff + bytes <= s.offset + s.filesz)
      return s.vaddr + (eh.e_phoff - s.offset);
  return std::nullopt;
}

std::optional<std::string> check_placement(const StaticElf& image, std::uint64_t page_size) {
  if (image.segments.empty()) return std::string("no loadable segment");
  if (!image.position_independent && image.segments.front().vaddr < page_size)
    return fmt::format("a segment at address {:#x}, in the first page, which is never mapped",
                       image.segments.front().vaddr);
  for (const LoadSegment& s : image.segments)
    if ((s.prot & PROT_EXEC) && image.entry >= s.vaddr && image.entry < s.vaddr + s.memsz)
      return std::nullopt;
  return fmt::format("the entry point {:#x} is outside every executable segment", image.entry);
}

}  // namespace

std::uint64_t StaticElf::lowest() const {
  return segments.empty() ? 0 : segments.front().vaddr & ~(page_size - 1);
}

std::uint64_t StaticElf::highest() const {
  if (segments.empty()) return 0;
  const LoadSegment& last = segments.back();
  return (last.vaddr + last.memsz + page_size - 1) & ~(page_size - 1);
}

ElfCheck check_static_elf(const FileBytes& file, std::uint16_t machine, std::uint64_t page_size) {
  Elf64_Ehdr eh{};
  if (file.size < SELFMAG || !file.read(0, eh.e_ident, SELFMAG) ||
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
    return refuse(ElfRefusal::not_elf, "not an ELF file");
  if (file.size < sizeof eh || !file.read(0, &eh, sizeof eh))
    return refuse(ElfRefusal::invalid,
                  fmt::format("truncated: {} bytes, shorter than an ELF header", file.size));
  if (auto bad = check_header(eh, machine)) return refuse(ElfRefusal::invalid, *bad);
  const std::uint64_t ph_bytes = std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr);
  std::vector<Elf64_Phdr> phdrs(eh.e_phnum);
  if (eh.e_phoff > file.size || ph_bytes > file.size - eh.e_phoff ||
      !file.read(eh.e_phoff, phdrs.data(), ph_bytes))
    return refuse(ElfRefusal::invalid,
                  fmt::format("truncated: the program headers need bytes {} to {}, the file has {}",
                              eh.e_phoff, eh.e_phoff + ph_bytes, file.size));
  StaticElf image;
  image.position_independent = eh.e_type == ET_DYN;
  image.entry = eh.e_entry;
  image.phnum = eh.e_phnum;
  image.max_align = page_size;
  image.page_size = page_size;
  for (const Elf64_Phdr& ph : phdrs) {
    if (ph.p_type == PT_INTERP)
      return refuse(ElfRefusal::dynamic, "a dynamic program (its interpreter is " +
                                             *read_interp(ph, file) +
                                             "): ld.so loads it, not this launcher");
    if (ph.p_type == PT_GNU_STACK) image.executable_stack = (ph.p_flags & PF_X) != 0;
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    const LoadSegment* prev = image.segments.empty() ? nullptr : &image.segments.back();
    if (auto bad = check_segment(ph, file, page_size, prev))
      return refuse(ElfRefusal::invalid, *bad);
    if (ph.p_align > image.max_align && (ph.p_align & (ph.p_align - 1)) == 0)
      image.max_align = ph.p_align;
    image.segments.push_back(
        {ph.p_vaddr, ph.p_offset, ph.p_filesz, ph.p_memsz, prot_of(ph.p_flags)});
  }
  if (auto bad = check_placement(image, page_size)) return refuse(ElfRefusal::invalid, *bad);
  const auto phdr = loaded_phdr(eh, image);
  if (!phdr)
    return refuse(ElfRefusal::invalid, "its program headers are not inside a loaded segment");
  image.phdr_vaddr = *phdr;
  return ElfCheck{.image = std::move(image), .refusal = ElfRefusal::invalid, .why = {}};
}

}  // namespace redirect::inproc
