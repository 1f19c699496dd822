// The aarch64 syscall ABI for a 64-bit aarch64 tracer. Arguments are in x0..x5, the number in
// x8 and the result in x0, so the kernel overwrites argument 0 at exit; there is no red zone
// (AAPCS64). The surprise: writing x8 through NT_PRSTATUS does not change the syscall the
// kernel runs; the number must be set through the NT_ARM_SYSTEM_CALL regset (linux
// arch/arm64/kernel/ptrace.c, system_call_set), and PTRACE_POKEUSER does not reach registers
// at all, hence RegAccess::regset. A rewritten argument 0 (truncate's or chdir's path) cannot
// be restored at the exit stop, where x0 holds the result or a restart code; and on Debian's
// 6.1 kernel writing x0 at the entry stop reaches orig_x0 too (PTRACE_GET_SYSCALL_INFO shows
// it), from which arch/arm64/kernel/signal.c do_signal reloads x0 to restart an interrupted
// call: the engine puts the program's pointer back at the signal-delivery stop or the
// restart's entry (SyscallPatcher::restore_result_arg). 32-bit arm (compat) tracees are not
// described: the seccomp filter traps every syscall of an unknown arch and the engine leaves
// them untouched, saying so with -v.
#pragma once

#include <linux/audit.h>

#include <cstddef>
#include <cstdint>

#include "engine/arch/arch.h"

namespace redirect::arch::aarch64 {

/// The kernel's `struct user_pt_regs` (arch/arm64/include/uapi/asm/ptrace.h).
struct UserRegs {
  std::uint64_t regs[31];
  std::uint64_t sp, pc, pstate;
};
static_assert(sizeof(UserRegs) == 34 * 8);

/// NT_ARM_SYSTEM_CALL from <elf.h>, spelled out for hosts whose headers lack it.
inline constexpr std::uint32_t nt_arm_system_call = 0x404;

#define REDIRECT_A64_X(n) static_cast<std::uint16_t>(offsetof(UserRegs, regs) + 8 * (n))

inline constexpr Personality aarch64{
    .name = "aarch64",
    .audit_arch = AUDIT_ARCH_AARCH64,
    .pointer_size = 8,
    .red_zone = 0,
    .arg_offset = {REDIRECT_A64_X(0), REDIRECT_A64_X(1), REDIRECT_A64_X(2), REDIRECT_A64_X(3),
                   REDIRECT_A64_X(4), REDIRECT_A64_X(5)},
    .nr_offset = REDIRECT_A64_X(8),
    .result_offset = REDIRECT_A64_X(0),
    .sp_offset = static_cast<std::uint16_t>(offsetof(UserRegs, sp)),
    .ip_offset = static_cast<std::uint16_t>(offsetof(UserRegs, pc)),
    .syscall_insn_size = 4,  // `svc #0`
    .restart_nr_offset = REDIRECT_A64_X(8),
    .access = RegAccess::regset,
    .nr_regset = nt_arm_system_call,
    .result_is_arg0 = true,
    .foreign_nr_base = 0,
    .scratch_mmap_nr = 222,  // mmap (include/uapi/asm-generic/unistd.h)
    .mseal_nr = 462,
    .stack_t_layout = {.sp = 0, .flags = 8, .size = 16, .bytes = 24},
    .msghdr_layout = {.name = 0, .namelen = 8, .bytes = 56},
    // struct rt_sigframe { struct siginfo info; struct ucontext uc; } (arch/arm64/kernel/
    // signal.c; setup_return() points sp at it): 128 bytes of siginfo, then ucontext
    // { u64 uc_flags; ucontext* uc_link; stack_t uc_stack (24); sigset_t uc_sigmask (8);
    // u8 __unused[120] (glibc's 1024-bit sigset); struct sigcontext uc_mcontext; }
    // (arch/arm64/include/uapi/asm/ucontext.h): 168 bytes, uc_mcontext aligned to 16 (its
    // __reserved is) at 176; sigcontext { u64 fault_address; u64 regs[31]; ... }
    // (uapi/asm/sigcontext.h), so x0 is at 128 + 176 + 8. The kernel's restart puts the
    // syscall's first argument (orig_x0) back in x0, not its number (arch/arm64/kernel/
    // signal.c do_signal): a call whose first argument is -4 reads as interrupted.
    .sigframe_result_offset = 312,
    .sigframe_ucontext_offset = 128,
};

#undef REDIRECT_A64_X

/// PTRACE_GETREGSET/SETREGSET (0x4204, 0x4205) of NT_PRSTATUS: aarch64 has no PTRACE_GETREGS.
inline constexpr WholeRegs whole_regs{.get = 0x4204, .set = 0x4205, .by_regset = true};

/// Every ABI an aarch64 tracee can use that the engine rewrites.
inline constexpr Personality personalities[] = {aarch64};

/// The ABI of a syscall judged from registers alone (kernels without PTRACE_GET_SYSCALL_INFO).
constexpr const Personality& personality_of(const UserRegs&) { return aarch64; }

/// A system call made without libc (see x86_64.h): the result, or -errno.
inline long raw_syscall(long nr, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                        long a5 = 0) noexcept {
  register long x8 asm("x8") = nr;
  register long x0 asm("x0") = a0;
  register long x1 asm("x1") = a1;
  register long x2 asm("x2") = a2;
  register long x3 asm("x3") = a3;
  register long x4 asm("x4") = a4;
  register long x5 asm("x5") = a5;
  asm volatile("svc 0"
               : "+r"(x0)
               : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
               : "memory");
  return x0;
}

/// raw_syscall through the ABI `p` (see x86_64.h): aarch64 has one.
inline long raw_syscall_as(const Personality&, long nr, long a0 = 0, long a1 = 0, long a2 = 0,
                           long a3 = 0, long a4 = 0, long a5 = 0) noexcept {
  return raw_syscall(nr, a0, a1, a2, a3, a4, a5);
}

}  // namespace redirect::arch::aarch64
