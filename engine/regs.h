// The registers of a tracee stopped at a syscall, by role: number, arguments, stack pointer,
// result, read once per stop and patched a register at a time. Reading uses
// PTRACE_GET_SYSCALL_INFO (Linux 5.3), which also says which ABI the call used (AUDIT_ARCH_*):
// the surprise is that this can change from one syscall to the next in the same process
// (`int $0x80` in an x86_64 program), so the Personality is chosen per stop. On older kernels
// the whole register block is read and the personality guessed from it (see arch headers).
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>

#include "engine/arch/arch.h"
#include "engine/arch/native.h"
#include "engine/check.h"
#include "rules/sys.h"

namespace redirect::engine {

static_assert(std::tuple_size_v<decltype(arch::Personality::arg_offset)> == rules::kSyscallArgs);

/// What the tracer knows about a syscall at its entry (seccomp or PTRACE_SYSCALL entry stop).
struct SyscallEntry {
  const arch::Personality* personality = nullptr;  ///< null: an ABI we have no table for
  /// Index of `personality` in arch::native::personalities (abi.h), the one way a stop finds
  /// its per-ABI tables; meaningless when `personality` is null.
  std::uint8_t abi = 0;
  std::uint32_t audit_arch = 0;
  long nr = -1;
  std::array<std::uint64_t, rules::kSyscallArgs> args{};  ///< masked to the ABI's pointer width
  /// The registers as they are: an `int $0x80` from 64-bit code may leave upper halves set,
  /// and restoring must give them back unchanged.
  std::array<std::uint64_t, rules::kSyscallArgs> raw_args{};
  std::uint64_t sp = 0;  ///< masked to the ABI's pointer width
  std::uint64_t ip = 0;  ///< where the call returns to: after the syscall instruction
  /// The stack pointer lies beyond the reach of this ABI's pointers (`int $0x80` from 64-bit
  /// code, whose stack is above 4 GiB): `sp` names other memory, and nothing may go near it.
  bool sp_out_of_reach = false;
};

enum class StopRead : std::uint8_t {
  entry,  ///< `out` describes a syscall entry
  exit,   ///< the stop was a syscall exit (PTRACE_SYSCALL mode bookkeeping was off by one)
  gone,   ///< the tracee died (ESRCH): not an error
};

/// Reads the syscall of `tid`, stopped at a seccomp stop or a syscall stop. Throws
/// fmt::system_error naming the pid for any failure other than ESRCH.
[[nodiscard]] StopRead read_syscall_entry(pid_t tid, SyscallEntry& out);

/// Whether a syscall's return value is an error, -4095..-1 (include/linux/err.h MAX_ERRNO):
/// other negative values (an mmap address above 2^63 read as signed) are results.
[[nodiscard]] constexpr bool is_error_result(long result) {
  return result < 0 && result >= -4095;
}

/// The whole register block of `tid` in the host's layout, whichever ABI the tracee runs
/// (arch::native::whole_regs). Return 0, ESRCH when the tracee died, or the errno of the
/// ptrace call. Never throw.
[[nodiscard]] int read_whole_regs(pid_t tid, arch::native::UserRegs& regs) noexcept;
[[nodiscard]] int write_whole_regs(pid_t tid, const arch::native::UserRegs& regs) noexcept;

/// Reads the result register of `tid` (stopped at a syscall exit) into `out`. Returns 0, ESRCH
/// when the tracee died, or the errno of the ptrace call that failed. Never throws.
[[nodiscard]] int read_result(pid_t tid, const arch::Personality& p, long& out) noexcept;

/// A few register changes applied together: one PTRACE_POKEUSER each where the arch allows it,
/// else one GETREGSET + SETREGSET for all. Fixed capacity, no allocation.
class RegPatch {
 public:
  explicit RegPatch(const arch::Personality& p) : p_(&p) {}
  void set_arg(unsigned i, std::uint64_t value) { add(p_->arg_offset[i], value); }
  void set_nr(long nr) { add(p_->nr_offset, static_cast<std::uint64_t>(nr)); }
  void set_result(long value) { add(p_->result_offset, static_cast<std::uint64_t>(value)); }
  void set_ip(std::uint64_t value) { add(p_->ip_offset, value); }
  [[nodiscard]] bool empty() const { return n_ == 0; }
  /// The changes, as (byte offset in the register block, value) in the order they were set.
  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] std::uint16_t offset(std::size_t i) const { return offsets_[i]; }
  [[nodiscard]] std::uint64_t value(std::size_t i) const { return values_[i]; }

  /// Applies every change to `tid`. Returns 0, ESRCH when the tracee died, or the errno of the
  /// ptrace call that failed (the caller reports it with the syscall's name). Never throws.
  [[nodiscard]] int apply(pid_t tid) const noexcept;

 private:
  void add(std::uint16_t offset, std::uint64_t value) {
    REDIRECT_CHECK(n_ < offsets_.size(), 0);  // at most 6 arguments + number + result
    offsets_[n_] = offset;
    values_[n_++] = value;
  }
  const arch::Personality* p_;
  std::array<std::uint16_t, 8> offsets_{};
  std::array<std::uint64_t, 8> values_{};
  unsigned n_ = 0;
};

}  // namespace redirect::engine
