// Syscall registers through PTRACE_GET_SYSCALL_INFO and PTRACE_POKEUSER/SETREGSET, driven by
// the Personality tables of engine/arch/ so this file has no per-arch code. On x86_64 a
// PTRACE_POKEUSER offset is a user_regs_struct offset because `struct user` starts with the
// registers (sys/user.h).
#include "engine/regs.h"

#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "engine/arch/native.h"

namespace redirect::engine {
namespace {

// The ABI of a stop, found by its AUDIT_ARCH_* value: its Personality and index.
void set_abi(SyscallEntry& out, std::uint32_t audit_arch) {
  out.audit_arch = audit_arch;
  out.personality = nullptr;
  for (std::size_t i = 0; i < std::size(arch::native::personalities); ++i) {
    if (arch::native::personalities[i].audit_arch != audit_arch) continue;
    out.personality = &arch::native::personalities[i];
    out.abi = static_cast<std::uint8_t>(i);
  }
}

using NativeRegs = arch::native::UserRegs;

std::uint64_t reg_at(const NativeRegs& regs, std::uint16_t offset) {
  std::uint64_t v;
  std::memcpy(&v, reinterpret_cast<const char*>(&regs) + offset, sizeof v);
  return v;
}

// Kernels before 5.3: the whole register block, and the ABI guessed from it.
StopRead read_from_regs(pid_t tid, SyscallEntry& out) {
  NativeRegs regs;
  if (int err = read_whole_regs(tid, regs); err != 0) {
    if (err == ESRCH) return StopRead::gone;
    throw fmt::system_error(err, "pid {}: ptrace(read the registers)", tid);
  }
  const arch::Personality& p = arch::native::personality_of(regs);
  set_abi(out, p.audit_arch);
  out.nr = static_cast<long>(reg_at(regs, p.nr_offset));
  if (p.pointer_size == 4) out.nr = static_cast<std::int32_t>(out.nr);
  for (unsigned i = 0; i < rules::kSyscallArgs; ++i) {
    out.raw_args[i] = reg_at(regs, p.arg_offset[i]);
    out.args[i] = out.raw_args[i] & arch::pointer_mask(p);
  }
  out.sp = reg_at(regs, p.sp_offset) & arch::pointer_mask(p);
  out.sp_out_of_reach = out.sp != reg_at(regs, p.sp_offset);
  out.ip = reg_at(regs, p.ip_offset);
  return StopRead::entry;
}

}  // namespace

int read_whole_regs(pid_t tid, NativeRegs& regs) noexcept {
  constexpr arch::WholeRegs how = arch::native::whole_regs;
  iovec iov{&regs, sizeof regs};
  void* data = how.by_regset ? static_cast<void*>(&iov) : static_cast<void*>(&regs);
  long r = ptrace(static_cast<__ptrace_request>(how.get), tid,
                  how.by_regset ? reinterpret_cast<void*>(NT_PRSTATUS) : nullptr, data);
  return r == 0 ? 0 : errno;
}

int write_whole_regs(pid_t tid, const NativeRegs& regs) noexcept {
  constexpr arch::WholeRegs how = arch::native::whole_regs;
  NativeRegs copy = regs;
  iovec iov{&copy, sizeof copy};
  void* data = how.by_regset ? static_cast<void*>(&iov) : static_cast<void*>(&copy);
  long r = ptrace(static_cast<__ptrace_request>(how.set), tid,
                  how.by_regset ? reinterpret_cast<void*>(NT_PRSTATUS) : nullptr, data);
  return r == 0 ? 0 : errno;
}

StopRead read_syscall_entry(pid_t tid, SyscallEntry& out) {
  static bool have_syscall_info = true;
  if (!have_syscall_info) return read_from_regs(tid, out);
  __ptrace_syscall_info info;  // glibc's copy: <linux/ptrace.h> clashes with <sys/ptrace.h>
  long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
  if (n < 0) {
    if (errno == ESRCH) return StopRead::gone;
    if (errno == EIO) {  // request unknown to this kernel
      have_syscall_info = false;
      return read_from_regs(tid, out);
    }
    throw fmt::system_error(errno, "pid {}: ptrace(PTRACE_GET_SYSCALL_INFO)", tid);
  }
  const std::uint64_t* args;
  if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
    out.nr = static_cast<long>(info.seccomp.nr);
    args = info.seccomp.args;
  } else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    out.nr = static_cast<long>(info.entry.nr);
    args = info.entry.args;
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
    return StopRead::exit;
  } else {
    throw fmt::system_error(EINVAL, "pid {}: PTRACE_GET_SYSCALL_INFO: not a syscall stop (op {})",
                            tid, info.op);
  }
  set_abi(out, info.arch);
  std::uint64_t mask = out.personality ? arch::pointer_mask(*out.personality) : ~std::uint64_t{0};
  if (out.personality && out.personality->pointer_size == 4)
    out.nr = static_cast<std::int32_t>(out.nr);
  for (unsigned i = 0; i < rules::kSyscallArgs; ++i) {
    out.raw_args[i] = args[i];
    out.args[i] = args[i] & mask;
  }
  out.sp = info.stack_pointer & mask;
  out.sp_out_of_reach = out.sp != info.stack_pointer;
  out.ip = info.instruction_pointer;
  return StopRead::entry;
}

int read_result(pid_t tid, const arch::Personality& p, long& out) noexcept {
  if (p.access == arch::RegAccess::poke_user) {
    errno = 0;
    long value = ptrace(PTRACE_PEEKUSER, tid, p.result_offset, nullptr);
    if (errno != 0) return errno;
    out = value;
  } else {
    NativeRegs regs;
    iovec iov{&regs, sizeof regs};
    if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) != 0) return errno;
    out = static_cast<long>(reg_at(regs, p.result_offset));
  }
  // An i386 result is a 32-bit value in a 64-bit register.
  if (p.pointer_size == 4) out = static_cast<std::int32_t>(out);
  return 0;
}

int RegPatch::apply(pid_t tid) const noexcept {
  if (p_->access == arch::RegAccess::poke_user) {
    for (unsigned i = 0; i < n_; ++i)
      if (ptrace(PTRACE_POKEUSER, tid, offsets_[i], values_[i]) != 0) return errno;
    return 0;
  }
  NativeRegs regs;
  iovec iov{&regs, sizeof regs};
  if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) != 0) return errno;
  bool regs_changed = false;
  for (unsigned i = 0; i < n_; ++i) {
    if (offsets_[i] == p_->nr_offset && p_->nr_regset != 0) {
      int nr = static_cast<int>(values_[i]);
      iovec nr_iov{&nr, sizeof nr};
      if (ptrace(PTRACE_SETREGSET, tid, p_->nr_regset, &nr_iov) != 0) return errno;
      continue;
    }
    std::memcpy(reinterpret_cast<char*>(&regs) + offsets_[i], &values_[i], sizeof values_[i]);
    regs_changed = true;
  }
  if (regs_changed && ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) != 0) return errno;
  return 0;
}

}  // namespace redirect::engine
