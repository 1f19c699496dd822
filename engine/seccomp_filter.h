// The seccomp-bpf program that makes the kernel stop the tracee (SECCOMP_RET_TRACE) at exactly
// the syscalls the rules name and lets every other syscall run at full speed. The generator is
// a pure function of (arch, sorted numbers), so it is unit-tested through a BPF interpreter;
// installing is separate. The surprise: a SECCOMP_RET_TRACE with no tracer attached makes the
// syscall fail with ENOSYS, so the child installs the filter only after the tracer has seized
// it.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <span>
#include <vector>

namespace redirect::engine {

/// The SECCOMP_RET_DATA of every SECCOMP_RET_TRACE redirect's filter returns ("rd"): a seccomp
/// stop carrying another value (PTRACE_GETEVENTMSG) comes from a filter of the program's own.
inline constexpr std::uint16_t seccomp_marker = 0x7264;

/// A syscall trapped only when argument `arg` has any bit of `mask` (in its low 32 bits) set
/// (clone with CLONE_UNTRACED, whose child would otherwise escape the tracer), or, with
/// `equals`, when its low 32 bits equal `mask` (prctl(PR_SET_SECCOMP)).
struct ArgTrap {
  int nr = 0;
  std::uint8_t arg = 0;
  std::uint32_t mask = 0;
  bool equals = false;
};

/// A trapped syscall let through when argument `arg` is 0 (all 64 bits): sendto with no address
/// (what a connected socket sends with) names no path, and stops for nothing.
struct NullPass {
  int nr = 0;
  std::uint8_t arg = 0;
};

/// The syscalls to trap for one AUDIT_ARCH_* value.
struct FilterArch {
  std::uint32_t audit_arch = 0;
  std::span<const int> numbers;  ///< ascending, no duplicates, non-negative
  /// Numbers at or above this belong to another ABI sharing audit_arch (x32): trapped. 0 = none.
  std::uint32_t foreign_nr_base = 0;
  std::span<const ArgTrap> arg_traps;  ///< checked before `numbers`
  std::span<const NullPass> null_passes;  ///< checked before `arg_traps`
};

/// Builds the program: check the arch first, then a binary search over the ranges of `numbers`
/// (so the cost of an untrapped syscall grows with log2 of the rule's syscall count, not
/// linearly); syscalls of an arch not in `arches` are trapped (the engine leaves them alone,
/// but it never guesses their numbering). Pure; never fails. The result may exceed the
/// kernel's BPF_MAXINSNS (4096) for absurdly many scattered numbers: install() then fails with
/// EINVAL and the caller falls back to ptrace mode.
[[nodiscard]] std::vector<sock_filter> make_seccomp_program(std::span<const FilterArch> arches);

/// Installs `program` on the calling thread (inherited by children and kept across execve).
/// Tries seccomp(2) first without no_new_privs (a privileged tracer keeps setuid programs
/// native), then with PR_SET_NO_NEW_PRIVS, then prctl(PR_SET_SECCOMP) where seccomp(2) is
/// ENOSYS (old kernels, valgrind). Returns 0, or the errno of the last attempt. Allocates
/// nothing and leaves `errno` alone: safe in spawn's CLONE_VM child, between clone and exec.
[[nodiscard]] int install_seccomp_program(std::span<const sock_filter> program) noexcept;

}  // namespace redirect::engine
