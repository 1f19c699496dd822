// The x86_64 return stub (arch.h ReturnStub), as machine code written by hand. Layout, with R
// the address the rewritten syscall returns to (the stub's start + 2):
//
//   eb 37                  jmp restart          (a restart rewinds rip to here)
//   R:        48 89 05 <hdr.result>  mov %rax,hdr.result(%rip)  (the call's result, for --stats)
//             mov hdr.rdi(%rip),%rdi ... mov hdr.r9(%rip),%r9   six 7-byte rip-relative loads
//             ff 25 <hdr.ret>        jmp *hdr.ret(%rip)   (after the program's `syscall`)
//   restart:  the same six loads
//             ff 25 <hdr.again>      jmp *hdr.again(%rip) (onto the program's `syscall`)
//
// Only the normal path stores the result: a call that is restarted leaves the word as the
// tracer wrote it (ReturnStub::no_result), which is how the tracer tells the two apart.
// `mov r64, m64`, `mov m64, r64` and `jmp m64` change no flag, and the stub uses no stack and no
// other register (the store writes the slot's header, redirect's memory, never the program's):
// rcx and r11 come back from the kernel as a native syscall leaves them (the tracer changes only
// rip and the argument registers; with rcx != rip the kernel returns with IRET, which restores
// rcx and r11 from the saved registers). The stub never runs `syscall` itself, so a seccomp
// filter or Syscall User Dispatch never sees a call made from it (restarts run the program's
// own instruction). Encodings: Intel SDM vol. 2, MOV 8B /r with REX.W (and REX.R for r8-r15),
// ModRM mod=00 rm=101 (RIP+disp32); MOV 89 /r (store); JMP FF /4; JMP rel8 EB.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/arch/arch.h"

namespace redirect::arch::x86_64 {

namespace stub_detail {

inline constexpr std::uint8_t size = 105;    // 2 + 7 + (6 * 7 + 6) * 2
inline constexpr std::uint8_t resume = 2;    // after the short jump
inline constexpr std::uint8_t restart = 57;  // resume + 7 + 6 * 7 + 6

// Appends a 32-bit displacement from the end of the instruction (at `next`) to `target`.
inline std::uint8_t* put_disp(std::uint8_t* out, std::uint64_t next, std::uint64_t target) {
  const auto disp = static_cast<std::int32_t>(static_cast<std::int64_t>(target - next));
  std::memcpy(out, &disp, 4);
  return out + 4;
}

// The six argument loads (rdi rsi rdx r10 r8 r9 from header words 0-5) and the indirect jump
// through header word `jump_word`, starting at tracee address `at`.
inline std::uint8_t* put_path(std::uint8_t* out, std::uint64_t at, std::uint64_t header,
                              unsigned jump_word) {
  // (REX prefix, ModRM) per argument register: reg field = register number & 7, rm = 101.
  static constexpr std::uint8_t rex[6] = {0x48, 0x48, 0x48, 0x4c, 0x4c, 0x4c};
  static constexpr std::uint8_t modrm[6] = {0x3d, 0x35, 0x15, 0x15, 0x05, 0x0d};
  for (unsigned i = 0; i < 6; ++i) {
    *out++ = rex[i];
    *out++ = 0x8b;
    *out++ = modrm[i];
    at += 7;
    out = put_disp(out, at, header + 8 * i);
  }
  *out++ = 0xff;
  *out++ = 0x25;
  at += 6;
  return put_disp(out, at, header + 8 * jump_word);
}

// mov %rax, header word `word`(%rip) at tracee address `at`: REX.W 89, ModRM rax/rip+disp32.
inline std::uint8_t* put_result_store(std::uint8_t* out, std::uint64_t at, std::uint64_t header,
                                      unsigned word) {
  *out++ = 0x48;
  *out++ = 0x89;
  *out++ = 0x05;
  return put_disp(out, at + 7, header + 8 * word);
}

inline void encode(std::uint64_t at, std::uint64_t header, std::uint8_t* out) {
  out[0] = 0xeb;
  out[1] = restart - resume;
  put_result_store(out + resume, at + resume, header, ReturnStub::result_word);
  put_path(out + resume + 7, at + resume + 7, header, 6);
  put_path(out + restart, at + restart, header, 7);
}

}  // namespace stub_detail

/// The stub of the x86_64 syscall ABI (`syscall`, 2 bytes). 128-byte stride: 32 per page.
inline constexpr ReturnStub return_stub{
    .size = stub_detail::size,
    .stride = 128,
    .resume = stub_detail::resume,
    .restart = stub_detail::restart,
    .encode = stub_detail::encode,
};

}  // namespace redirect::arch::x86_64
