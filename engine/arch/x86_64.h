// The x86_64 syscall ABI and its i386 compat view, for a 64-bit tracer. x86_64 passes syscall
// arguments in rdi, rsi, rdx, r10, r8, r9, the number in rax (which the kernel copies into
// orig_rax at entry: writing orig_rax is what changes or cancels the call) and the result in
// rax; leaf code may use 128 bytes below rsp (System V psABI 3.2.2, the red zone). An i386
// program, or an x86_64 one using `int $0x80`, reaches the i386 table instead: the kernel
// reports AUDIT_ARCH_I386 and the same 64-bit register block holds ebx, ecx, edx, esi, edi, ebp
// zero-extended, with 32-bit pointers and no red zone (i386 psABI). Models: rr src/Registers.h
// (SYSCALL_REGISTER rows), PRoot src/tracee/reg.c and src/arch.h (RED_ZONE_SIZE).
#pragma once

#include <linux/audit.h>

#include <cstddef>
#include <cstdint>

#include "engine/arch/arch.h"
#include "engine/arch/x86_64_stub.h"

namespace redirect::arch::x86_64 {

/// The kernel's x86_64 `struct user_regs_struct` (arch/x86/include/asm/user_64.h), spelled out
/// so this header compiles on any host.
struct UserRegs {
  std::uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax,
      rip, cs, eflags, rsp, ss, fs_base, gs_base, ds, es, fs, gs;
};
static_assert(sizeof(UserRegs) == 27 * 8);

#define REDIRECT_X86_REG(field) static_cast<std::uint16_t>(offsetof(UserRegs, field))

inline constexpr Personality x86_64{
    .name = "x86_64",
    .audit_arch = AUDIT_ARCH_X86_64,
    .pointer_size = 8,
    .red_zone = 128,
    .arg_offset = {REDIRECT_X86_REG(rdi), REDIRECT_X86_REG(rsi), REDIRECT_X86_REG(rdx),
                   REDIRECT_X86_REG(r10), REDIRECT_X86_REG(r8), REDIRECT_X86_REG(r9)},
    .nr_offset = REDIRECT_X86_REG(orig_rax),
    .result_offset = REDIRECT_X86_REG(rax),
    .sp_offset = REDIRECT_X86_REG(rsp),
    .ip_offset = REDIRECT_X86_REG(rip),
    .syscall_insn_size = 2,  // `syscall` (0f 05) and `int $0x80` (cd 80) alike
    .restart_nr_offset = REDIRECT_X86_REG(rax),
    .access = RegAccess::poke_user,
    .nr_regset = 0,
    .result_is_arg0 = false,
    // x32 syscalls are x86_64's numbers with __X32_SYSCALL_BIT set (asm/unistd.h).
    .foreign_nr_base = 0x40000000u,
    .scratch_mmap_nr = 9,  // mmap (syscall_64.tbl)
    .mseal_nr = 462,
    .stack_t_layout = {.sp = 0, .flags = 8, .size = 16, .bytes = 24},
    .msghdr_layout = {.name = 0, .namelen = 8, .bytes = 56},
    // struct rt_sigframe { char* pretcode; struct ucontext uc; ... } (arch/x86/include/asm/
    // sigframe.h): pretcode 8, then uc_flags 8, uc_link 8, uc_stack 24, then uc_mcontext, whose
    // rax is gregs[REG_RAX = 13]: 8 + 40 + 13 * 8.
    .sigframe_result_offset = 152,
    .sigframe_ucontext_offset = 8,
    .return_stub = &return_stub,
};

inline constexpr Personality ia32{
    // not "i386": a predefined macro in GNU modes
    .name = "i386",
    .audit_arch = AUDIT_ARCH_I386,
    .pointer_size = 4,
    .red_zone = 0,
    .arg_offset = {REDIRECT_X86_REG(rbx), REDIRECT_X86_REG(rcx), REDIRECT_X86_REG(rdx),
                   REDIRECT_X86_REG(rsi), REDIRECT_X86_REG(rdi), REDIRECT_X86_REG(rbp)},
    .nr_offset = REDIRECT_X86_REG(orig_rax),
    .result_offset = REDIRECT_X86_REG(rax),
    .sp_offset = REDIRECT_X86_REG(rsp),
    .ip_offset = REDIRECT_X86_REG(rip),
    .syscall_insn_size = 2,  // `syscall` (0f 05) and `int $0x80` (cd 80) alike
    .restart_nr_offset = REDIRECT_X86_REG(rax),
    .access = RegAccess::poke_user,
    .nr_regset = 0,
    .result_is_arg0 = false,
    .foreign_nr_base = 0,
    .scratch_mmap_nr = 192,  // mmap2 (syscall_32.tbl)
    // A 64-bit kernel seals for i386 programs too (mm/mseal.c is built for CONFIG_64BIT and
    // syscall_32.tbl lists it); a 32-bit kernel answers ENOSYS, which the engine handles.
    .mseal_nr = 462,
    .stack_t_layout = {.sp = 0, .flags = 4, .size = 8, .bytes = 12},
    .msghdr_layout = {.name = 0, .namelen = 4, .bytes = 28},
    // struct rt_sigframe_ia32 { u32 pretcode; int sig; u32 pinfo; u32 puc;
    // compat_siginfo_t info; struct ucontext_ia32 uc; ... } (arch/x86/include/asm/sigframe.h,
    // the frame a 64-bit kernel builds for a 32-bit program): 16 + 128 bytes of siginfo, then
    // ucontext_ia32 { u32 uc_flags, uc_link; compat_stack_t uc_stack (12); struct
    // sigcontext_32 uc_mcontext; } (arch/x86/include/asm/ia32.h), whose eax follows gs, fs,
    // es, ds (u16 each with padding: 16 bytes) and edi, esi, ebp, esp, ebx, edx, ecx
    // (arch/x86/include/uapi/asm/sigcontext.h): 144 + 20 + 16 + 7 * 4.
    .sigframe_result_offset = 208,
    .sigframe_ucontext_offset = 144,
    // Without SA_SIGINFO the kernel builds struct sigframe_ia32 { u32 pretcode; int sig;
    // struct sigcontext_32 sc; ... } (ia32_setup_frame): eax at 8 + 16 + 7 * 4; the rt frame's
    // puc is its fourth word, where the older frame has sc's es and __esh.
    .sigframe_legacy_result_offset = 52,
    .sigframe_puc_offset = 12,
};

#undef REDIRECT_X86_REG

/// PTRACE_GETREGS/SETREGS (12, 13: asm/ptrace-abi.h) answer in the tracer's layout, this
/// UserRegs, whatever the tracee runs; PTRACE_GETREGSET of NT_PRSTATUS answers in the
/// tracee's current one, which for a 32-bit program is the 68-byte i386 user_regs_struct
/// (arch/x86/kernel/ptrace.c, task_user_regset_view).
inline constexpr WholeRegs whole_regs{.get = 12, .set = 13, .by_regset = false};

/// Every ABI an x86_64 tracee can use, the process's own first.
inline constexpr Personality personalities[] = {x86_64, ia32};

/// The ABI of a syscall judged from registers alone (kernels without PTRACE_GET_SYSCALL_INFO):
/// the code segment of a 32-bit process is __USER32_CS (0x23). Wrong for `int $0x80` from
/// 64-bit code, which only PTRACE_GET_SYSCALL_INFO can tell.
constexpr const Personality& personality_of(const UserRegs& regs) {
  return regs.cs == 0x23 ? ia32 : x86_64;
}

/// A system call made without libc, for code that must not write `errno`: the child of a
/// CLONE_VM spawn shares the tracer's memory and thread-local storage, so libc's errno there is
/// the tracer's own. Returns the kernel's value: the result, or -errno.
inline long raw_syscall(long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                        long a5 = 0) noexcept {
  long ret;
  register long r10 asm("r10") = a3;
  register long r8 asm("r8") = a4;
  register long r9 asm("r9") = a5;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

/// A system call made without libc through the ABI `p` (see raw_syscall): for i386, by
/// `int $0x80` from this 64-bit process, which the kernel runs from its i386 table and shows
/// seccomp filters as AUDIT_ARCH_I386, as it does for a 32-bit program; its sixth argument
/// (ebp) is always 0 and its result is the 32-bit eax, sign-extended. Used by the filter
/// probe (filter_probe.h) to make a call exactly as an injection into such a tracee would.
inline long raw_syscall_as(const Personality& p, long nr, long a0 = 0, long a1 = 0, long a2 = 0,
                           long a3 = 0, long a4 = 0, long a5 = 0) noexcept {
  if (p.audit_arch != AUDIT_ARCH_I386) return raw_syscall(nr, a0, a1, a2, a3, a4, a5);
  long ret;
  // ebp is the frame pointer to the compiler: kept in r12 (declared clobbered) meanwhile.
  // `int $0x80` from 64-bit code leaves r8-r11 undefined (arch/x86/entry/entry_64_compat.S).
  asm volatile("mov %%rbp, %%r12\n\txor %%ebp, %%ebp\n\tint $0x80\n\tmov %%r12, %%rbp"
               : "=a"(ret)
               : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
               : "r8", "r9", "r10", "r11", "r12", "memory");
  return static_cast<std::int32_t>(ret);
}

}  // namespace redirect::arch::x86_64
