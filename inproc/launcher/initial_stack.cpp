// The frame is written top-down: the strings and random bytes first, then the vectors below
// them, so sp can be aligned last without moving anything the vectors point at.
#include "inproc/launcher/initial_stack.h"

#include <elf.h>

#include <cstring>
#include <algorithm>

namespace redirect::inproc {
namespace {

constexpr std::size_t word = sizeof(std::uint64_t);

// The program's auxv, in a fixed array: the frame is written after the runtime is armed, when
// the launcher may no longer allocate (an allocation can make a syscall).
struct ProgramAuxv {
  std::array<AuxEntry, max_aux_entries + 8> entries{};
  std::size_t count = 0;
};

ProgramAuxv program_auxv(const StackFacts& facts, std::uint64_t execfn, std::uint64_t random) {
  const AuxEntry replaced[] = {{AT_PHDR, facts.image.phdr},
                               {AT_PHENT, sizeof(Elf64_Phdr)},
                               {AT_PHNUM, facts.image.phnum},
                               {AT_ENTRY, facts.image.entry},
                               {AT_BASE, 0},
                               {AT_EXECFN, execfn},
                               {AT_RANDOM, random}};
  ProgramAuxv out;
  for (const AuxEntry& r : replaced) out.entries[out.count++] = r;
  for (const AuxEntry& e :
       facts.inherited.first(std::min(facts.inherited.size(), max_aux_entries))) {
    bool ours = e.type == AT_EXECFD || e.type == AT_NULL;
    for (const AuxEntry& r : replaced) ours = ours || r.type == e.type;
    if (!ours) out.entries[out.count++] = e;
  }
  out.entries[out.count++] = {AT_NULL, 0};
  return out;
}

std::size_t vector_words(const StackFacts& facts, std::size_t aux_pairs) {
  return 1 + facts.argv.size() + 1 + facts.envp.size() + 1 + 2 * aux_pairs;
}

std::size_t strings_size(const StackFacts& facts) {
  return (std::strlen(facts.execfn) + 1 + facts.random.size() + 15) & ~std::size_t{15};
}

}  // namespace

std::size_t initial_stack_size(const StackFacts& facts) {
  const std::size_t aux_pairs = program_auxv(facts, 0, 0).count;
  return strings_size(facts) + vector_words(facts, aux_pairs) * word + 16;
}

std::uintptr_t write_initial_stack(std::span<std::byte> region, const StackFacts& facts) {
  if (region.size() < initial_stack_size(facts)) return 0;
  const auto top =
      reinterpret_cast<std::uintptr_t>(region.data() + region.size()) & ~std::uintptr_t{15};
  const std::uintptr_t strings = top - strings_size(facts);
  const std::uintptr_t random = strings;
  const std::uintptr_t execfn = strings + facts.random.size();
  std::memcpy(reinterpret_cast<void*>(random), facts.random.data(), facts.random.size());
  std::memcpy(reinterpret_cast<void*>(execfn), facts.execfn, std::strlen(facts.execfn) + 1);

  const ProgramAuxv auxv = program_auxv(facts, execfn, random);
  const std::uintptr_t sp =
      (strings - vector_words(facts, auxv.count) * word) & ~std::uintptr_t{15};
  auto* w = reinterpret_cast<std::uint64_t*>(sp);
  *w++ = facts.argv.size();
  for (char* a : facts.argv) *w++ = reinterpret_cast<std::uintptr_t>(a);
  *w++ = 0;
  for (char* e : facts.envp) *w++ = reinterpret_cast<std::uintptr_t>(e);
  *w++ = 0;
  for (const AuxEntry& e : std::span(auxv.entries).first(auxv.count)) {
    *w++ = e.type;
    *w++ = e.value;
  }
  return sp;
}

}  // namespace redirect::inproc
