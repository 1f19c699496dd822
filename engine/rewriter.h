// The path policy applied at a syscall's entry: read the string arguments the rules care about,
// name the path the kernel will reach for each (a relative one joined to its thread's working
// directory or to its dirfd's directory, see tracee_io.h), ask the Matcher, and have the
// SyscallPatcher rewrite (new strings in scratch, argument registers pointed at them) or fail
// the call (deny). The surprise that shapes it: a rule decides on the resolved path, but the
// program's own string is kept whenever nothing would change (no rule, or a rewrite that gives
// back the same path), because a relative path needs no search permission on the ancestors
// of its directory and an absolute one does: LTP's EACCES tests notice the difference.
// Socket addresses (bind, connect, sendto, sendmsg) are path arguments too when they hold an
// AF_UNIX path: read from the sockaddr (or msghdr), decided like a string, written back as a
// new sockaddr_un with its length.
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
  /// The last on_entry() injected a syscall to make scratch memory: the program's call runs
  /// again and will be decided (and recorded) at its next entry stop.
  [[nodiscard]] bool restarted() const { return restarted_; }

  /// After on_entry() for a traced call: reads and resolves the path arguments no rule asked
  /// for into `event`. Unreadable ones are left out (the kernel answers EFAULT).
  void record_rest(const Tracee& t, const SyscallEntry& e, PathEvent& event);

  /// `tid`'s call, whose exit stop `held` showed a restart code, runs again
  /// (interrupted_calls.h): its log lines and counts are dropped, since its next entry decides
  /// and counts it anew.
  void on_call_restarted(pid_t tid, const ExitStop& held);

  /// `tid`'s call ended without an exit stop we read: an execve that succeeded (`result` 0),
  /// or the thread died in it (nullopt). Either way the log reads its program's name again.
  void on_call_end(pid_t tid, std::optional<long> result);

 private:
  const rules::Matcher* matcher_for(const SyscallEntry& e) const;
  // The path argument `passed` names for the kernel, in `buf` unless it is `passed` itself;
  // nullopt with `why` when its directory cannot be named.
  std::optional<std::string_view> resolve(const Tracee& t, const SyscallEntry& e,
                                          rules::ArgBase base, std::string_view passed,
                                          std::span<char> buf, std::string_view& why);
  // The path of the AF_UNIX address in socket argument `arg` (a sockaddr or a msghdr, per
  // `base`), into `buf` with a NUL; nullopt when there is none to rewrite: another family, an
  // abstract or unnamed address, or unreadable memory (the kernel then answers as natively).
  std::optional<StringRead> read_unix_path(const Tracee& t, const SyscallEntry& e,
                                           rules::ArgBase base, unsigned arg,
                                           std::span<char> buf);
  // The new sockaddr_un holding `path` (msghdr: followed by the msghdr copy naming it, see
  // PieceLink), in socket_out_; its length in `length.value`.
  std::span<const char> socket_address(const arch::Personality& p, rules::ArgBase base,
                                       std::string_view path, RegValue& length, PieceLink& link);
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
  bool restarted_ = false;
  // Per argument: the string read, its resolved form, and the rewrite. Left uninitialised on
  // purpose: zeroing their 72 KB would fault in 18 pages at start-up (a page fault costs
  // 40-60 us on a VM, see bench/), and only the bytes a read or a rewrite wrote are ever used.
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> in_;
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> resolved_;
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> out_;
  std::array<char, PATH_MAX> dir_;
  static constexpr std::size_t unix_path_max = 108;  // sizeof sockaddr_un::sun_path
  static constexpr std::uint16_t af_unix = 1;         // AF_UNIX, the same on every Linux ABI
  std::array<char, 56> msghdr_;  // sendmsg: the program's msghdr, as read
  std::size_t msghdr_size_ = 0;
  std::array<char, 112 + 56> socket_out_;  // the new sockaddr_un (and msghdr copy)
};

}  // namespace redirect::engine
