// The path policy applied at a syscall's entry: read the string arguments the rules care about,
// name the path the kernel will reach for each (a relative one joined to its thread's working
// directory or to its dirfd's directory, see tracee_io.h), ask the Matcher, and have the
// SyscallPatcher rewrite (new strings in scratch, argument registers pointed at them) or fail
// the call (deny). The surprise that shapes it: a rule decides on the resolved path, but the
// program's own string is kept whenever nothing would change (no rule, or a rewrite that gives
// back the same path), because a relative path needs no search permission on the ancestors
// of its directory and an absolute one does: LTP's EACCES tests notice the difference.
#pragma once

#include <climits>

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "engine/arch/native.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/own_traps.h"
#include "engine/path_events.h"
#include "engine/regs.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"
#include "rules/matcher.h"

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
  /// PTRACE_SYSCALL entry stop). Returns false when no rule names the call (the tracer then
  /// offers it to the engine's own traps). Unreadable strings and unnamed directories are left
  /// alone; a rewrite that cannot be written fails the syscall and is logged. Throws
  /// fmt::system_error (pid and syscall named) when a ptrace call fails for a reason other
  /// than the tracee's death.
  bool on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop);

  /// At the exit stop of a call some entry watched: ends its log lines with the result and
  /// counts a rewritten call the kernel failed, per rule.
  void on_exit(const Tracee& t, const ExitStop& stop);

  /// While `event` is set (trace), on_entry() notes there every path argument it reads, the
  /// path it resolves to and the decision, and a failure it imposes as the result. Null stops.
  void record_into(PathEvent* event) { record_ = event; }

  /// After on_entry() for a traced call: reads and resolves the path arguments no rule asked
  /// for into `event`. Unreadable ones are left out (the kernel answers EFAULT).
  void record_rest(const Tracee& t, const SyscallEntry& e, PathEvent& event);

  /// `tid`'s call ended without an exit stop we read: an execve that succeeded (`result` 0),
  /// or the thread died in it (nullopt).
  void on_call_end(pid_t tid, std::optional<long> result);

 private:
  const rules::Matcher* matcher_for(const SyscallEntry& e) const;
  // The path argument `passed` names for the kernel, in `buf` unless it is `passed` itself;
  // nullopt with `why` when its directory cannot be named.
  std::optional<std::string_view> resolve(const Tracee& t, const SyscallEntry& e,
                                          rules::ArgBase base, std::string_view passed,
                                          std::span<char> buf, std::string_view& why);
  void note_arg(unsigned arg, const rules::PathArg& value, const rules::Decision& d);
  void note_unresolved(const Tracee& t, std::string_view name, unsigned arg,
                       std::string_view passed, std::string_view why);

  std::array<const rules::Matcher*, std::size(arch::native::personalities)> by_abi_{};
  Options options_;
  TraceeIo& io_;
  SyscallPatcher& patcher_;
  const OwnTraps& traps_;
  DecisionLog* log_;
  Stats& stats_;
  Notices& notices_;
  bool warned_forbidden_ = false;
  PathEvent* record_ = nullptr;
  // Per argument: the string read, its resolved form, and the rewrite. Left uninitialised on
  // purpose: zeroing their 72 KB would fault in 18 pages at start-up (a page fault costs
  // 40-60 us on a VM, see bench/), and only the bytes a read or a rewrite wrote are ever used.
  std::array<std::array<char, PATH_MAX>, 6> in_;
  std::array<std::array<char, PATH_MAX>, 6> resolved_;
  std::array<std::array<char, PATH_MAX>, 6> out_;
  std::array<char, PATH_MAX> dir_;
};

}  // namespace redirect::engine
