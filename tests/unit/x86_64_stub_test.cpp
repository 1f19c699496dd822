// The x86_64 return stub, run for real in this process: written into a page that is then made
// read+execute (as the scratch mapping's stubs are), entered at `resume` (where a rewritten
// call returns) and at its first bytes (where a restart rewinds to), it must load the six
// argument registers from its header and jump to the address the header names for that path;
// the first path alone stores the result register in the header (for --stats).
#include <doctest/doctest.h>

#include <sys/mman.h>

#include <cstdint>

#include "engine/arch/x86_64.h"

#if defined(__x86_64__)
namespace {

using redirect::arch::x86_64::return_stub;

// Jumps to `entry` with every argument register zeroed and `result` in rax, after pointing
// both header jump targets at the label after the jump; `out` gets the six argument registers
// found there.
void run_stub(std::uint64_t entry, std::uint64_t* header, std::uint64_t* out,
              std::uint64_t result) {
  asm volatile(
      "lea 1f(%%rip), %%rcx\n"
      "mov %%rcx, 48(%[h])\n"
      "mov %%rcx, 56(%[h])\n"
      "mov %[result], %%rax\n"
      "xor %%edi, %%edi\n"
      "xor %%esi, %%esi\n"
      "xor %%edx, %%edx\n"
      "xor %%r10d, %%r10d\n"
      "xor %%r8d, %%r8d\n"
      "xor %%r9d, %%r9d\n"
      "jmp *%[entry]\n"
      "1:\n"
      "mov %%rdi, 0(%[o])\n"
      "mov %%rsi, 8(%[o])\n"
      "mov %%rdx, 16(%[o])\n"
      "mov %%r10, 24(%[o])\n"
      "mov %%r8, 32(%[o])\n"
      "mov %%r9, 40(%[o])\n"
      :
      : [h] "r"(header), [entry] "r"(entry), [o] "r"(out), [result] "m"(result)
      : "rax", "rcx", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory", "cc");
}

}  // namespace

TEST_CASE("x86_64 return stub: both paths load the header's registers and jump on") {
  REQUIRE(return_stub.size <= return_stub.stride);
  void* page = mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(page != MAP_FAILED);
  auto* code = static_cast<std::uint8_t*>(page);
  auto* header = reinterpret_cast<std::uint64_t*>(code + 4096);
  const auto at = reinterpret_cast<std::uint64_t>(code);
  return_stub.encode(at, reinterpret_cast<std::uint64_t>(header), code);
  REQUIRE(mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0);
  for (unsigned i = 0; i < 6; ++i) header[i] = 0x1111'0000'0000'0000ULL * (i + 1) + i;
  using redirect::arch::ReturnStub;
  for (std::uint64_t entry : {at + return_stub.resume, at}) {
    std::uint64_t out[6] = {};
    header[ReturnStub::result_word] = ReturnStub::no_result;
    const auto result = static_cast<std::uint64_t>(-2);  // -ENOENT
    run_stub(entry, header, out, result);
    for (unsigned i = 0; i < 6; ++i) CHECK(out[i] == header[i]);
    // The restart path (entered at the first bytes) must leave the word as the tracer wrote it.
    CHECK(header[ReturnStub::result_word] ==
          (entry == at ? ReturnStub::no_result : result));
  }
  munmap(page, 8192);
}
#endif
