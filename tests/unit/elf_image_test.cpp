// check_static_elf on ELF files built in memory: what is loadable, and the exact sentence for
// each refusal (the launcher prints it after "redirect-inproc-exec: PROG: ").
#include <doctest/doctest.h>

#include <elf.h>
#include <sys/mman.h>

#include <cstring>
#include <vector>

#include "inproc/launcher/elf_image.h"

using redirect::inproc::check_static_elf;
using redirect::inproc::ElfCheck;
using redirect::inproc::ElfRefusal;
using redirect::inproc::FileBytes;

namespace {

// An x86_64 ET_EXEC in the shape of a glibc static program: headers + text + data/bss.
struct TinyElf {
  Elf64_Ehdr eh{};
  std::vector<Elf64_Phdr> ph;
  std::vector<unsigned char> tail;  // bytes after the program headers (PT_INTERP's string)
  std::size_t size = 0x3000;

  TinyElf() {
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_entry = 0x401010;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    ph.push_back(load(0x400000, 0, 0x1100, 0x1100, PF_R | PF_X));
    ph.push_back(load(0x402100, 0x2100, 0x100, 0x5000, PF_R | PF_W));
  }
  static Elf64_Phdr load(std::uint64_t vaddr, std::uint64_t off, std::uint64_t filesz,
                         std::uint64_t memsz, std::uint32_t flags) {
    Elf64_Phdr p{};
    p.p_type = PT_LOAD;
    p.p_flags = flags;
    p.p_offset = off;
    p.p_vaddr = p.p_paddr = vaddr;
    p.p_filesz = filesz;
    p.p_memsz = memsz;
    p.p_align = 0x1000;
    return p;
  }
  std::vector<unsigned char> bytes() {
    eh.e_phnum = static_cast<Elf64_Half>(ph.size());
    std::vector<unsigned char> out(size);
    std::memcpy(out.data(), &eh, std::min(out.size(), sizeof eh));
    const std::size_t ph_bytes = ph.size() * sizeof(Elf64_Phdr);
    if (out.size() >= eh.e_phoff + ph_bytes)
      std::memcpy(out.data() + eh.e_phoff, ph.data(), ph_bytes);
    if (!tail.empty()) std::memcpy(out.data() + eh.e_phoff + ph_bytes, tail.data(), tail.size());
    return out;
  }
  ElfCheck check() {
    const std::vector<unsigned char> b = bytes();
    FileBytes file{.read =
                       [&b](std::uint64_t off, void* out, std::size_t n) {
                         if (off > b.size() || n > b.size() - off) return false;
                         std::memcpy(out, b.data() + off, n);
                         return true;
                       },
                   .size = b.size()};
    return check_static_elf(file, EM_X86_64, 0x1000);
  }
};

}  // namespace

TEST_CASE("elf_image: a static executable is loadable, with its layout") {
  TinyElf elf;
  const ElfCheck c = elf.check();
  REQUIRE(c.image);
  CHECK(c.why.empty());
  CHECK_FALSE(c.image->position_independent);
  CHECK(c.image->entry == 0x401010);
  CHECK(c.image->phdr_vaddr == 0x400040);
  CHECK(c.image->phnum == 2);
  CHECK(c.image->lowest() == 0x400000);
  CHECK(c.image->highest() == 0x408000);  // page_up(0x402100 + 0x5000)
  REQUIRE(c.image->segments.size() == 2);
  CHECK(c.image->segments[0].prot == (PROT_READ | PROT_EXEC));
  CHECK(c.image->segments[1].prot == (PROT_READ | PROT_WRITE));
  CHECK_FALSE(c.image->executable_stack);
}

TEST_CASE("elf_image: static-pie is position independent; PT_GNU_STACK PF_X is kept") {
  TinyElf elf;
  elf.eh.e_type = ET_DYN;
  Elf64_Phdr stack{};
  stack.p_type = PT_GNU_STACK;
  stack.p_flags = PF_R | PF_W | PF_X;
  elf.ph.push_back(stack);
  const ElfCheck c = elf.check();
  REQUIRE(c.image);
  CHECK(c.image->position_independent);
  CHECK(c.image->executable_stack);
}

TEST_CASE("elf_image: a PT_INTERP makes it dynamic, naming the interpreter") {
  TinyElf elf;
  Elf64_Phdr interp{};
  interp.p_type = PT_INTERP;
  interp.p_offset = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
  interp.p_filesz = 28;
  elf.ph.insert(elf.ph.begin(), interp);
  const char name[] = "/lib64/ld-linux-x86-64.so.2";
  elf.tail.assign(name, name + sizeof name);
  const ElfCheck c = elf.check();
  CHECK_FALSE(c.image);
  CHECK(c.refusal == ElfRefusal::dynamic);
  CHECK(
      c.why ==
      "a dynamic program (its interpreter is /lib64/ld-linux-x86-64.so.2): ld.so loads it, not this launcher");
}

TEST_CASE("elf_image: each refusal says why") {
  TinyElf elf;
  SUBCASE("not ELF") {
    elf.eh.e_ident[1] = 'X';
    CHECK(elf.check().refusal == ElfRefusal::not_elf);
    CHECK(elf.check().why == "not an ELF file");
  }
  SUBCASE("shorter than a header") {
    elf.size = 20;
    CHECK(elf.check().why == "truncated: 20 bytes, shorter than an ELF header");
  }
  SUBCASE("program headers past the end") {
    elf.size = 100;
    CHECK(elf.check().why ==
          "truncated: the program headers need bytes 64 to 176, the file has 100");
  }
  SUBCASE("a segment past the end") {
    elf.size = 0x2180;
    CHECK(elf.check().why ==
          "truncated: the segment at 0x402100 needs bytes 8448 to 8704, the file has 8576");
  }
  SUBCASE("32-bit") {
    elf.eh.e_ident[EI_CLASS] = ELFCLASS32;
    CHECK(elf.check().why == "not a 64-bit ELF file (EI_CLASS 1)");
  }
  SUBCASE("another machine") {
    elf.eh.e_machine = EM_AARCH64;
    CHECK(elf.check().why == "built for ELF machine 183, this launcher runs machine 62");
  }
  SUBCASE("a relocatable object") {
    elf.eh.e_type = ET_REL;
    CHECK(elf.check().why == "not an executable (ELF type 1)");
  }
  SUBCASE("more file than memory") {
    elf.ph[1].p_filesz = 0x6000;
    elf.size = 0x9000;
    CHECK(elf.check().why ==
          "a segment at 0x402100 has more file bytes (24576) than memory bytes (20480)");
  }
  SUBCASE("offset and address not congruent") {
    elf.ph[1].p_vaddr = 0x402200;
    CHECK(elf.check().why ==
          "the segment at 0x402200 is not page-aligned with its file offset 0x2100");
  }
  SUBCASE("overlapping segments") {
    elf.ph[1].p_vaddr = 0x401000;
    elf.ph[1].p_offset = 0x1000;
    CHECK(elf.check().why == "overlapping segments: 0x400000-0x401100 and 0x401000-0x406000");
  }
  SUBCASE("a segment at address 0") {
    elf.ph[0].p_vaddr = 0;
    elf.eh.e_entry = 0x10;
    CHECK(elf.check().why == "a segment at address 0x0, in the first page, which is never mapped");
  }
  SUBCASE("entry outside the code") {
    elf.eh.e_entry = 0x402200;
    CHECK(elf.check().why == "the entry point 0x402200 is outside every executable segment");
  }
  SUBCASE("program headers not loaded") {
    elf.eh.e_phoff = 0x2300;
    elf.size = 0x3000;
    CHECK(elf.check().why == "its program headers are not inside a loaded segment");
  }
  SUBCASE("no PT_LOAD") {
    elf.ph.clear();
    Elf64_Phdr note{};
    note.p_type = PT_NOTE;
    elf.ph.push_back(note);
    CHECK(elf.check().why == "no loadable segment");
  }
  CHECK_FALSE(elf.check().image);
}
