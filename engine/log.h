// What redirect says about a run when asked: the decision log (--log, one line per decision)
// and the counters behind --stats. Both are off the fast path unless enabled: counters are
// plain increments, and a log line is formatted in fmt's stack buffer (a stop allocates only
// for an unusually long path) and written with one write(2), unbuffered: if redirect is
// SIGKILLed the log still holds only whole lines, and nothing waits in a buffer.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/matcher.h"

namespace redirect::engine {

/// Counters of one run (--stats).
struct Stats {
  std::uint64_t seccomp_stops = 0;       ///< entries of trapped syscalls (seccomp mode)
  std::uint64_t entry_stops = 0;         ///< PTRACE_SYSCALL entry stops (ptrace mode)
  std::uint64_t exit_stops = 0;          ///< PTRACE_SYSCALL exit stops (restores, ptrace mode)
  std::uint64_t signal_stops = 0;        ///< signal-delivery stops
  std::uint64_t other_stops = 0;         ///< events, group-stops, attach stops
  std::uint64_t rewritten = 0;           ///< syscalls whose arguments we changed
  std::uint64_t denied = 0;              ///< syscalls we failed (deny, ENAMETOOLONG, write failure)
  std::uint64_t unreadable = 0;          ///< string arguments left alone (EFAULT, no NUL)
  std::uint64_t unresolved = 0;  ///< relative paths whose directory could not be named
  std::uint64_t injected = 0;            ///< syscalls run in tracees (scratch mmap, name, seal)
  std::uint64_t foreign_seccomp = 0;     ///< seccomp stops of the program's own filter (ENOSYS)
  std::uint64_t foreign = 0;             ///< stops of an ABI we have no table for (x32, ...)
  std::vector<std::uint64_t> rule_hits;  ///< by CompiledRule::id
};

/// The --log destination.
class DecisionLog {
 public:
  /// Opens `path` for writing ("-" = stderr). nullopt and `error` = errno text on failure.
  [[nodiscard]] static std::optional<DecisionLog> open(const std::string& path, std::string& error);
  DecisionLog(DecisionLog&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  DecisionLog& operator=(DecisionLog&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~DecisionLog();
  /// The fd written to (2 for stderr): a tracer run apart keeps it open.
  [[nodiscard]] int fd() const { return fd_; }

  /// One decision: `old` is argument `arg` of `syscall` as the tracee passed it, `resolved`
  /// the path the rule matched when that is not `old` itself. `same`: a rewrite that gave back
  /// the path it matched, so the argument is left as passed.
  void decision(pid_t pid, std::string_view syscall, unsigned arg, std::string_view old,
                std::optional<std::string_view> resolved, const rules::Decision& d, bool same,
                bool dry_run);
  /// A decision about a whole call (a rule on a syscall without strings).
  void call_decision(pid_t pid, std::string_view syscall, const rules::Decision& d, bool dry_run);
  /// Something the user should know about one syscall that is not a failure.
  void warning(pid_t pid, std::string_view syscall, std::string_view what);
  /// The log is stderr (`--log -`), where notices go too: a notice need not be logged twice.
  [[nodiscard]] bool is_stderr() const { return fd_ == STDERR_FILENO; }
  /// A problem with one syscall that the run survives (failed stack write...).
  void problem(pid_t pid, std::string_view syscall, std::string_view what);

 private:
  explicit DecisionLog(int fd) : fd_(fd) {}
  void write_line(std::string_view line);
  // "TIME PID SYSCALL KIND: WHAT", for problem() and warning().
  void note(pid_t pid, std::string_view syscall, std::string_view kind, std::string_view what);
  int fd_ = -1;  // owned unless it is stderr's
};

}  // namespace redirect::engine
