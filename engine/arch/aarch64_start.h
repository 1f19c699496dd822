// How a freshly loaded aarch64 program would be entered by the in-process launcher (inproc/).
// Not used yet: Syscall User Dispatch, which the in-process backend is built on, exists only on
// x86 kernels. What the port needs (Linux arch/arm64/include/asm/elf.h ELF_PLAT_INIT and
// glibc sysdeps/aarch64/start.S): sp 16-byte aligned pointing at argc, x0 = the finaliser to
// register with atexit (0 for none), x29 = x30 = 0 so unwinders stop, then `br` to the entry.
// glibc's aarch64 rseq signature is 0xd428bc00 (sysdeps/unix/sysv/linux/aarch64/bits/rseq.h,
// little-endian).
#pragma once

#include <elf.h>

#include <cstdint>

namespace redirect::arch::aarch64 {

inline constexpr std::uint16_t elf_machine = EM_AARCH64;
inline constexpr std::uint32_t rseq_signature = 0xd428bc00;

#if defined(__aarch64__)
/// Switches to the stack `sp` (which points at argc) and branches to `entry` with x0 = 0 and
/// the frame and link registers cleared. Never returns.
[[noreturn]] inline void enter_program(std::uintptr_t sp, std::uintptr_t entry) {
  register std::uintptr_t x1 asm("x1") = sp;
  register std::uintptr_t x2 asm("x2") = entry;
  asm volatile(
      "mov sp, x1\n\t"
      "mov x0, xzr\n\t"
      "mov x29, xzr\n\t"
      "mov x30, xzr\n\t"
      "br x2"
      :
      : "r"(x1), "r"(x2)
      : "memory");
  __builtin_unreachable();
}
#endif

}  // namespace redirect::arch::aarch64
