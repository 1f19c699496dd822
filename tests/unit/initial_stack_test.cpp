// The initial stack frame: layout word by word (psABI "Initial Process Stack"), the auxv
// entries replaced for the loaded program, AT_EXECFD dropped, the rest inherited in order.
#include <doctest/doctest.h>

#include <elf.h>

#include <cstring>
#include <vector>

#include "inproc/launcher/elf_loader.h"
#include "inproc/launcher/initial_stack.h"

using namespace redirect::inproc;

TEST_CASE("initial_stack: argc, argv, envp, auxv with the program's entries") {
  char a0[] = "prog", a1[] = "", e0[] = "A=1";
  char* argv[] = {a0, a1};
  char* envp[] = {e0};
  const AuxEntry inherited[] = {{AT_SYSINFO_EHDR, 0x7fff0000},
                                {AT_PHDR, 1},
                                {AT_EXECFD, 3},
                                {AT_PAGESZ, 4096},
                                {AT_RANDOM, 2},
                                {AT_UID, 1000}};
  StackFacts facts{.argv = argv,
                   .envp = envp,
                   .inherited = inherited,
                   .image = LoadedImage{.bias = 0, .entry = 0x401000, .phdr = 0x400040, .phnum = 9},
                   .execfn = "/bin/prog",
                   .random = {}};
  for (std::size_t i = 0; i < 16; ++i) facts.random[i] = static_cast<std::uint8_t>(i + 1);

  std::vector<std::byte> region(4096);
  const std::uintptr_t sp = write_initial_stack(region, facts);
  REQUIRE(sp != 0);
  CHECK(sp % 16 == 0);
  CHECK(sp >= reinterpret_cast<std::uintptr_t>(region.data()));
  const auto* w = reinterpret_cast<const std::uint64_t*>(sp);
  CHECK(w[0] == 2);
  CHECK(w[1] == reinterpret_cast<std::uintptr_t>(a0));
  CHECK(w[2] == reinterpret_cast<std::uintptr_t>(a1));
  CHECK(w[3] == 0);
  CHECK(w[4] == reinterpret_cast<std::uintptr_t>(e0));
  CHECK(w[5] == 0);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> aux;
  for (const std::uint64_t* p = w + 6;; p += 2) {
    aux.emplace_back(p[0], p[1]);
    if (p[0] == AT_NULL) break;
  }
  REQUIRE(aux.size() == 11);
  CHECK(aux[0] == std::pair<std::uint64_t, std::uint64_t>{AT_PHDR, 0x400040});
  CHECK(aux[1] == std::pair<std::uint64_t, std::uint64_t>{AT_PHENT, sizeof(Elf64_Phdr)});
  CHECK(aux[2] == std::pair<std::uint64_t, std::uint64_t>{AT_PHNUM, 9});
  CHECK(aux[3] == std::pair<std::uint64_t, std::uint64_t>{AT_ENTRY, 0x401000});
  CHECK(aux[4] == std::pair<std::uint64_t, std::uint64_t>{AT_BASE, 0});
  CHECK(aux[5].first == AT_EXECFN);
  CHECK(std::strcmp(reinterpret_cast<const char*>(aux[5].second), "/bin/prog") == 0);
  CHECK(aux[6].first == AT_RANDOM);
  CHECK(std::memcmp(reinterpret_cast<const void*>(aux[6].second), facts.random.data(), 16) == 0);
  // Inherited in order, without the replaced ones and AT_EXECFD.
  CHECK(aux[7] == std::pair<std::uint64_t, std::uint64_t>{AT_SYSINFO_EHDR, 0x7fff0000});
  CHECK(aux[8] == std::pair<std::uint64_t, std::uint64_t>{AT_PAGESZ, 4096});
  CHECK(aux[9] == std::pair<std::uint64_t, std::uint64_t>{AT_UID, 1000});
  CHECK(aux[10].first == AT_NULL);
  // The strings lie inside the region, above the vectors.
  const auto end = reinterpret_cast<std::uintptr_t>(region.data() + region.size());
  CHECK(aux[5].second > sp);
  CHECK(aux[5].second + sizeof "/bin/prog" <= end);
  CHECK(initial_stack_size(facts) <= region.size());
}

TEST_CASE("initial_stack: a region too small is refused, not overrun") {
  char a0[] = "prog";
  char* argv[] = {a0};
  StackFacts facts{
      .argv = argv, .envp = {}, .inherited = {}, .image = {}, .execfn = "/p", .random = {}};
  std::vector<std::byte> region(initial_stack_size(facts) - 1);
  CHECK(write_initial_stack(region, facts) == 0);
}

TEST_CASE("elf_loader: a fixed-address image may not meet the launcher's own") {
  StaticElf image;
  image.segments.push_back(
      {.vaddr = 0x400000, .offset = 0, .filesz = 0x100, .memsz = 0x2000, .prot = 5});
  image.max_align = image.page_size = 0x1000;
  CHECK_FALSE(check_clear_of(image, {0x7f0000000000, 0x7f0000100000}));
  CHECK(check_clear_of(image, {0x401000, 0x500000}) ==
        "its addresses 0x400000-0x402000 overlap the launcher's own image at 0x401000-0x500000");
  image.position_independent = true;
  CHECK_FALSE(check_clear_of(image, {0x401000, 0x500000}));
}
