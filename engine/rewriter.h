// The path policy at a syscall's entry stop, in three steps that each take and give a value:
// decide (read the string arguments the rules care about, name the path the kernel will reach
// for each with rules/path_resolve.h, ask the Matcher) into an EntryDecision; patch (have the
// SyscallPatcher rewrite or fail the call, entry_patch.h); report (the log, --stats; trace reads
// the same value). The surprise that shapes it: a rule decides on the resolved path, but the
// program's own string is kept whenever nothing would change (no rule, or a rewrite that gives
// back the same path), because a relative path needs no search permission on the ancestors of
// its directory and an absolute one does: LTP's EACCES tests notice the difference.
#pragma once

#include <climits>

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "engine/arch/native.h"
#include "engine/decision_report.h"
#include "engine/entry_decision.h"
#include "engine/getcwd_view.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/own_traps.h"
#include "engine/regs.h"
#include "engine/socket_address.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"
#include "engine/tracee_fs.h"
#include "rules/view_resolver.h"
#include "rules/matcher.h"

#include "rules/sys.h"

namespace redirect::engine {

class Rewriter {
 public:
  struct Options {
    bool dry_run = false;  ///< decide and log, change nothing
  };

  /// `matchers`: one per ABI the tracees may use (found by Matcher::audit_arch()). They, `io`,
  /// `patcher`, `traps`, `log` (may be null), `stats` and `notices` must outlive the Rewriter.
  Rewriter(std::span<const rules::Matcher* const> matchers, Options options, TraceeIo& io,
           SyscallPatcher& patcher, const OwnTraps& traps, DecisionLog* log, Stats& stats,
           Notices& notices);

  /// At the entry of syscall `e` of `t` (a seccomp stop when `seccomp_stop`, else a
  /// PTRACE_SYSCALL entry stop): decides, patches and reports. `every_path`: also read and
  /// resolve the path arguments no rule asks for (trace). The value stays valid until the
  /// next call. Unreadable strings and unnamed directories are left alone; a rewrite that
  /// cannot be written fails the syscall and is logged. Throws fmt::system_error (pid and
  /// syscall named) when a ptrace call fails for a reason other than the tracee's death.
  const EntryDecision& on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop,
                                bool every_path = false);

  /// At the exit stop of a call some entry watched: ends its log lines with the result and
  /// counts a rewritten call the kernel failed, per rule; a getcwd's answer is read back to
  /// the program's view (getcwd_view.h).
  void on_exit(const Tracee& t, ExitStop& stop);

  /// `tid`'s call, whose exit stop `held` showed a restart code, runs again
  /// (interrupted_calls.h): its log lines and counts are dropped, since its next entry decides
  /// and counts it anew.
  void on_call_restarted(pid_t tid, const ExitStop& held);

  /// `tid`'s call ended without an exit stop we read: an execve that succeeded (`result` 0),
  /// or the thread died in it (nullopt). Either way the log reads its program's name again.
  void on_call_end(pid_t tid, std::optional<long> result);

 private:
  const rules::Matcher* matcher_for(const SyscallEntry& e) const;
  void decide(const Tracee& t, const SyscallEntry& e, const rules::Matcher& m,
              const rules::SyscallRules& call, bool every_path);
  // Reads, resolves and decides register `arg` into decision_.args[k]; false when there is
  // nothing to decide (unreadable, no AF_UNIX path) or the tracee died (decision_.applied).
  bool decide_arg(const Tracee& t, const SyscallEntry& e, const rules::Matcher& m,
                  const rules::SyscallRules& call, unsigned arg, rules::ArgBase base,
                  std::size_t k);
  // The string of argument `arg` into in_[k]: false when it is not there to decide on.
  bool read_arg(const Tracee& t, const SyscallEntry& e, rules::ArgBase base, unsigned arg,
                std::size_t k, std::size_t& length);
  // The path argument `passed` (register `arg`, slot `k`; `call` null for an argument no rule
  // names) names, in the program's view (rules/view_resolver.h), with its directory named by /proc, in
  // `buf` unless it is `passed` itself; nullopt with `why` when that directory cannot be named.
  // The directory stays in named_dir_.
  std::optional<std::string_view> resolve(const Tracee& t, const SyscallEntry& e,
                                          const rules::SyscallRules* call, unsigned arg,
                                          std::size_t k, rules::ArgBase base,
                                          std::string_view passed, std::string_view& why);
  // After the Matcher decided argument `k`: what the kernel is handed in the program's view,
  // and an openat2 confined to its dirfd kept there.
  void finish_arg(const Tracee& t, const SyscallEntry& e, std::size_t k);

  std::array<const rules::Matcher*, std::size(arch::native::personalities)> by_abi_{};
  Options options_;
  TraceeIo& io_;
  SyscallPatcher& patcher_;
  const OwnTraps& traps_;
  Stats& stats_;
  Notices& notices_;
  ProcRootFs fs_;  // the tracee's root, for view_
  rules::ViewResolver view_;
  GetcwdView getcwd_;
  DecisionReport report_;
  bool warned_forbidden_ = false;
  std::string_view named_dir_;  // the directory resolve() named last (empty: absolute)
  bool every_path_ = false;  // this call's every path argument is read (trace)
  UnixSocketPath socket_;
  EntryDecision decision_;
  // Per argument: the string read, its resolved form, and the rewrite. Left uninitialised on
  // purpose: zeroing their 72 KB would fault in 18 pages at start-up (a page fault costs
  // 40-60 us on a VM, see bench/), and only the bytes a read or a rewrite wrote are ever used.
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> in_;
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> resolved_;
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> out_;
  std::array<char, PATH_MAX> dir_;
};

}  // namespace redirect::engine
