// The policy applied to one syscall: at its entry stop, read the string arguments the rules
// care about, ask the Matcher, and rewrite (new strings on the tracee's stack, argument
// registers pointed at them), deny (syscall number -1, result -errno) or leave it; at its exit
// stop, put the argument registers back. The surprise that shapes this file: the restore is
// what keeps the change invisible, because the x86_64 ABI preserves argument registers across
// a syscall (code with inline `syscall` relies on it) and a syscall interrupted by a signal is
// restarted from those same registers after the handler ran; so every rewrite asks for the
// exit stop (PTRACE_SYSCALL), and nothing else does.
#pragma once

#include <climits>

#include <array>
#include <span>

#include "engine/log.h"
#include "engine/notices.h"
#include "engine/regs.h"
#include "engine/tracee.h"
#include "rules/matcher.h"
#include "rules/syscall_table.h"

namespace redirect::engine {

/// CLONE_UNTRACED (linux/sched.h, the same on every arch): a child made with it is not
/// auto-attached, so it would run untraced (and under our seccomp filter, its trapped syscalls
/// would fail with ENOSYS). The tracer clears it at clone/clone3 entry.
inline constexpr std::uint64_t clone_untraced = 0x00800000;

/// Whether `nr` is syscall `s` on `audit_arch`. Besides the rules' syscalls the tracer traps
/// sigaltstack (scratch strings must never go below a thread's alternate signal stack) and,
/// when rules rewrite paths, io_uring_setup (files opened through a ring never enter openat:
/// warned about in the log).
[[nodiscard]] bool is_syscall(rules::Sys s, long nr, std::uint32_t audit_arch);

class Rewriter {
 public:
  struct Options {
    bool dry_run = false;  ///< decide and log, change nothing
  };

  /// `matchers`: one per ABI the tracees may use (looked up by Matcher::audit_arch()); they,
  /// `log` (may be null) and `notices` must outlive the Rewriter.
  Rewriter(std::span<const rules::Matcher* const> matchers, Options options, DecisionLog* log,
           Stats& stats, Notices& notices);

  /// At the entry of syscall `e` of `t` (a seccomp stop when `seccomp_stop`, else a
  /// PTRACE_SYSCALL entry stop). Afterwards t.restore_pending() says whether the exit stop
  /// must be seen. Unreadable strings are left alone; a rewrite that cannot be written fails
  /// the syscall and is logged. Throws fmt::system_error (pid and syscall named) when a ptrace
  /// call fails for a reason other than the tracee's death.
  void on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop);

  /// At the exit stop of a syscall on_entry() changed: restores the argument registers (and,
  /// for a denied syscall in ptrace mode, the result). Same failure contract.
  void on_exit(Tracee& t);

 private:
  const rules::Matcher* matcher_for(std::uint32_t audit_arch) const;
  // Writes `bytes[i]` below the stack pointer and points argument `args[i]` at it, arranging
  // the restore at exit. 0, ESRCH, or the errno why it could not (`why` may add a reason).
  int point_args_at_copies(Tracee& t, const SyscallEntry& e, std::string_view name,
                           std::span<const std::uint8_t> args,
                           std::span<const std::span<const char>> bytes, const char*& why);
  void untrace_clone(Tracee& t, const SyscallEntry& e, std::string_view name);
  void untrace_clone3(Tracee& t, const SyscallEntry& e, std::string_view name);
  void fail_syscall(Tracee& t, const SyscallEntry& e, std::string_view name, int error,
                    bool seccomp_stop);

  std::span<const rules::Matcher* const> matchers_;
  Options options_;
  DecisionLog* log_;
  Stats& stats_;
  Notices& notices_;
  bool warned_forbidden_ = false;
  // One input and one output buffer per argument: decide() writes rewrites straight here, and
  // process_vm_writev sends them from here. Left uninitialised on purpose: zeroing their 48 KB
  // would fault in 12 pages at start-up (a page fault costs 40-60 us on a VM, see bench/), and
  // only the bytes a string read or a rewrite wrote are ever used.
  std::array<std::array<char, PATH_MAX>, 6> in_;
  std::array<std::array<char, PATH_MAX>, 6> out_;
};

}  // namespace redirect::engine
