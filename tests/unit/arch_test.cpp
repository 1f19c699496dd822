// The per-arch register tables: offsets by role checked against the numbers the kernel uses
// (arch/x86/include/uapi/asm/ptrace-abi.h: RDI = 14*8 ...; arm64 user_pt_regs), so a typo in
// an arch header fails here on any host, including aarch64's table on x86_64.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/socket.h>
#include <sys/user.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "engine/arch/aarch64.h"
#include "engine/arch/native.h"
#include "engine/arch/x86_64.h"
#include "rules/syscall_table.h"

namespace arch = redirect::arch;

TEST_CASE("arch: x86_64 registers by role") {
  const arch::Personality& p = arch::x86_64::x86_64;
  CHECK(p.audit_arch == 0xc000003eu);
  CHECK(p.red_zone == 128);
  CHECK(p.pointer_size == 8);
  // rdi, rsi, rdx, r10, r8, r9 (ptrace-abi.h: RDI 14, RSI 13, RDX 12, R10 7, R8 9, R9 8)
  CHECK(p.arg_offset == std::array<std::uint16_t, 6>{14 * 8, 13 * 8, 12 * 8, 7 * 8, 9 * 8, 8 * 8});
  CHECK(p.nr_offset == 15 * 8);      // ORIG_RAX
  CHECK(p.result_offset == 10 * 8);  // RAX
  CHECK(p.sp_offset == 19 * 8);      // RSP
  CHECK(p.foreign_nr_base == 0x40000000u);
  CHECK_FALSE(p.result_is_arg0);
}

TEST_CASE("arch: i386 view of the x86_64 register block") {
  const arch::Personality& p = arch::x86_64::ia32;
  CHECK(p.audit_arch == 0x40000003u);
  CHECK(p.red_zone == 0);
  CHECK(p.pointer_size == 4);
  // ebx, ecx, edx, esi, edi, ebp in rbx (5), rcx (11), rdx (12), rsi (13), rdi (14), rbp (4)
  CHECK(p.arg_offset == std::array<std::uint16_t, 6>{5 * 8, 11 * 8, 12 * 8, 13 * 8, 14 * 8, 4 * 8});
  CHECK(p.nr_offset == 15 * 8);
  CHECK(arch::pointer_mask(p) == 0xffffffffu);
  arch::x86_64::UserRegs regs{};
  regs.cs = 0x23;
  CHECK(&arch::x86_64::personality_of(regs) == &arch::x86_64::ia32);
  regs.cs = 0x33;
  CHECK(&arch::x86_64::personality_of(regs) == &arch::x86_64::x86_64);
}

TEST_CASE("arch: aarch64 registers by role") {
  const arch::Personality& p = arch::aarch64::aarch64;
  CHECK(p.audit_arch == 0xc00000b7u);
  CHECK(p.red_zone == 0);
  CHECK(p.arg_offset == std::array<std::uint16_t, 6>{0, 8, 16, 24, 32, 40});
  CHECK(p.nr_offset == 8 * 8);  // x8
  CHECK(p.sp_offset == 31 * 8);
  CHECK(p.result_offset == 0);
  CHECK(p.result_is_arg0);
  CHECK(p.access == arch::RegAccess::regset);
  CHECK(p.nr_regset == 0x404);  // NT_ARM_SYSTEM_CALL
}

TEST_CASE("arch: the native table describes this host's user_regs_struct") {
  CHECK(sizeof(arch::native::UserRegs) == sizeof(user_regs_struct));
  const arch::Personality& p = arch::native::personalities[0];
  for (std::uint16_t off : p.arg_offset) CHECK(off + 8u <= sizeof(user_regs_struct));
}

// The syscall numbers and struct layouts the arch headers spell out themselves, checked
// against the generated tables (which tests/unit/syscall_table_test.cpp checks against
// libseccomp) and the C ABIs: i386 maps with mmap2 (192) and has 4-byte pointers and longs.
TEST_CASE("arch: scratch mapping syscalls and struct layouts per ABI") {
  namespace rules = redirect::rules;
  for (const arch::Personality* p : {&arch::x86_64::x86_64, &arch::x86_64::ia32,
                                     &arch::aarch64::aarch64}) {
    CAPTURE(p->name);
    const rules::Sys mmap = p->pointer_size == 4 ? rules::Sys::mmap2 : rules::Sys::mmap;
    CHECK(p->scratch_mmap_nr == rules::syscall_number(mmap, p->audit_arch).value_or(-2));
    CHECK(p->mseal_nr == rules::syscall_number(rules::Sys::mseal, p->audit_arch).value_or(-1));
    const unsigned ptr = p->pointer_size;  // == sizeof(long) == sizeof(size_t) on these ABIs
    CHECK(p->stack_t_layout.sp == 0);
    CHECK(p->stack_t_layout.flags == ptr);  // int ss_flags after the pointer
    CHECK(p->stack_t_layout.size == 2 * ptr);  // size_t, aligned to its size after the int
    CHECK(p->stack_t_layout.bytes == 3 * ptr);
    CHECK(p->msghdr_layout.name == 0);
    CHECK(p->msghdr_layout.namelen == ptr);
    // name, namelen (padded), iov, iovlen, control, controllen, flags (padded)
    CHECK(p->msghdr_layout.bytes == 7 * ptr);
  }
  CHECK(arch::native::personalities[0].stack_t_layout.bytes == sizeof(stack_t));
  CHECK(arch::native::personalities[0].msghdr_layout.bytes == sizeof(struct msghdr));
  CHECK(arch::native::personalities[0].msghdr_layout.namelen ==
        offsetof(struct msghdr, msg_namelen));
  CHECK(arch::native::personalities[0].stack_t_layout.size == offsetof(stack_t, ss_size));
}

// The signal-frame facts, checked against the frame this host's kernel really builds: a
// handler's `void*` argument points at the frame's ucontext, so the frame starts
// sigframe_ucontext_offset bytes below it, and a call interrupted by the handler's signal
// (sigsuspend, which the kernel ends with EINTR once a handler has run) left -EINTR in the
// saved result register. The i386 frame is checked end to end by the integration test
// signal-restart-log-m32.sh (an i386 program under redirect), aarch64's in the arm64 VM.
namespace {
volatile long saved_in_frame = 0;
void read_frame(int, siginfo_t*, void* ucontext) {
  const arch::Personality& p = arch::native::personalities[0];
  const char* frame = static_cast<const char*>(ucontext) - p.sigframe_ucontext_offset;
  long value;
  std::memcpy(&value, frame + p.sigframe_result_offset, sizeof value);
  saved_in_frame = value;
}
}  // namespace

TEST_CASE("arch: the native signal frame holds the interrupted result where the table says") {
  struct sigaction sa {}, old{};
  sa.sa_sigaction = read_frame;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
  sigset_t block, before;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  REQUIRE(sigprocmask(SIG_BLOCK, &block, &before) == 0);
  REQUIRE(raise(SIGUSR1) == 0);  // pending until sigsuspend unblocks it
  sigset_t during = before;
  sigdelset(&during, SIGUSR1);
  saved_in_frame = 0;
  CHECK(sigsuspend(&during) == -1);
  CHECK(saved_in_frame == -EINTR);
  sigprocmask(SIG_SETMASK, &before, nullptr);
  sigaction(SIGUSR1, &old, nullptr);
}

TEST_CASE("arch: signal frame offsets from the kernel's structs") {
  // x86_64: pretcode (8), then ucontext; rax at gregs[13] of uc_mcontext after 40 bytes.
  CHECK(arch::x86_64::x86_64.sigframe_ucontext_offset == 8);
  CHECK(arch::x86_64::x86_64.sigframe_result_offset == 8 + 40 + 13 * 8);
  // i386: pretcode, sig, pinfo, puc (4 each), 128 bytes of compat siginfo, then ucontext_ia32,
  // whose sigcontext_32 follows 20 bytes and holds eax after 16 bytes of segments and 7 regs.
  CHECK(arch::x86_64::ia32.sigframe_ucontext_offset == 16 + 128);
  CHECK(arch::x86_64::ia32.sigframe_result_offset == 16 + 128 + 20 + 16 + 7 * 4);
  // i386 without SA_SIGINFO: pretcode, sig, then sigcontext_32; the rt frame's puc is word 3.
  CHECK(arch::x86_64::ia32.sigframe_legacy_result_offset == 8 + 16 + 7 * 4);
  CHECK(arch::x86_64::ia32.sigframe_puc_offset == 3 * 4);
  CHECK(arch::x86_64::x86_64.sigframe_puc_offset == 0);
  CHECK(arch::aarch64::aarch64.sigframe_puc_offset == 0);
  // aarch64: 128 bytes of siginfo, then ucontext, whose uc_mcontext is at 176 (168 rounded
  // up to its 16-byte alignment), x0 after fault_address.
  CHECK(arch::aarch64::aarch64.sigframe_ucontext_offset == 128);
  CHECK(arch::aarch64::aarch64.sigframe_result_offset == 128 + 176 + 8);
}
