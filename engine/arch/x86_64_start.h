// How a freshly loaded x86_64 program is entered, for the in-process launcher (inproc/): what
// the kernel's ELF loader leaves in the registers at the first instruction of a static
// program. System V x86_64 psABI 3.4.1 "Initial Stack and Register State": rsp points at argc
// and is 16-byte aligned; rdx holds a function the program registers with atexit (ld.so's
// finaliser; 0 when there is none, which glibc's _start and Go's rt0 both accept); rbp is
// "unspecified" but 0 marks the deepest frame for unwinders. The rseq signature is the one
// glibc registers the main thread's area with (sysdeps/unix/sysv/linux/x86/bits/rseq.h): the
// launcher must unregister its own area with it so the program's libc can register its own.
#pragma once

#include <elf.h>

#include <cstdint>

namespace redirect::arch::x86_64 {

inline constexpr std::uint16_t elf_machine = EM_X86_64;
inline constexpr std::uint32_t rseq_signature = 0x53053053;

#if defined(__x86_64__)
/// Switches to the stack `sp` (which points at argc) and jumps to `entry` with rdx = 0 and
/// rbp = 0. Never returns; nothing of the caller's frame is used again.
[[noreturn]] inline void enter_program(std::uintptr_t sp, std::uintptr_t entry) {
  asm volatile(
      "mov %0, %%rsp\n\t"
      "xor %%edx, %%edx\n\t"
      "xor %%ebp, %%ebp\n\t"
      "jmp *%1"
      :
      : "D"(sp), "a"(entry)
      : "memory");
  __builtin_unreachable();
}
#endif

}  // namespace redirect::arch::x86_64
