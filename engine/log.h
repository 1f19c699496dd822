// What redirect says about a run when asked: the decision log (--log, one line per decision)
// and the counters behind --stats. The lines of a call the rules changed end with the kernel's
// result (` = 3`, ` = -1 ENOENT (No such file or directory)`), known only at the call's exit
// stop, so they wait in a per-thread buffer from entry to exit. Both are off the fast path unless enabled: counters are
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
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/entry_decision.h"
#include "engine/own_output.h"
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
  std::uint64_t one_stop = 0;  ///< of those, the ones with no exit stop (one_stop.h)
  std::uint64_t one_stop_unseen = 0;  ///< of those, with --stats, whose result was never read
  std::uint64_t stub_unwinds = 0;  ///< signals that found a thread in its stub (one_stop.h)
  std::uint64_t rewritten_failed = 0;    ///< of those, the ones the kernel then failed
  std::uint64_t denied = 0;              ///< syscalls we failed (deny, ENAMETOOLONG, write failure)
  std::uint64_t match_errors = 0;  ///< of those, failed because a pattern gave up (PCRE2 limit)
  std::uint64_t unreadable = 0;          ///< string arguments left alone (EFAULT, no NUL)
  std::uint64_t unresolved = 0;  ///< relative paths whose directory could not be named
  std::uint64_t injected = 0;            ///< syscalls run in tracees (scratch mmap, name, seal)
  std::uint64_t foreign_seccomp = 0;     ///< seccomp stops of the program's own filter (ENOSYS)
  std::uint64_t foreign = 0;             ///< stops of an ABI we have no table for (x32, ...)
  std::uint64_t cpu_shared = 0;   ///< times the tracer went SCHED_IDLE beside the program (cpu_sharing.h)
  std::uint64_t cpu_unshared = 0;  ///< times it left that again (busy CPUs, or the run's end)
  std::uint64_t cpu_moves = 0;     ///< moves of the tracer onto the program's CPU
  std::uint64_t records = 0;       ///< --backend inproc: decision records received
  std::uint64_t records_lost = 0;  ///< --backend inproc: records the program could not send
  std::uint64_t records_bad = 0;   ///< --backend inproc: records that made no sense (dropped)
  std::vector<std::uint64_t> rule_hits;  ///< by CompiledRule::id
  std::vector<std::uint64_t> rule_failed;  ///< by CompiledRule::id: its rewrites the kernel failed
};

/// A syscall's result as strace prints it after `=`: "3", "-1 ENOENT (No such file or
/// directory)" for -4095..-1, "?" when it is unknown (nullopt: the tracee died in the call).
[[nodiscard]] std::string result_text(std::optional<long> result);

/// The --log destination.
class DecisionLog {
 public:
  /// Opens `path` for writing ("-" = stderr), truncated unless `append`. nullopt and `error` =
  /// errno text on failure.
  /// A write that fails later drops the log with one notice (own_output.h); the run goes on.
  [[nodiscard]] static std::optional<DecisionLog> open(const std::string& path, bool append,
                                                       std::string& error);
  DecisionLog(DecisionLog&& o) noexcept
      : out_(std::exchange(o.out_, OwnOutput(-1, ""))), open_(std::move(o.open_)) {}
  DecisionLog& operator=(DecisionLog&& o) noexcept {
    std::swap(out_, o.out_);
    std::swap(open_, o.open_);
    return *this;
  }
  ~DecisionLog();
  /// The fd written to (2 for stderr): a tracer run apart keeps it open.
  [[nodiscard]] int fd() const { return out_.fd(); }

  /// Everything the entry stage decided about `pid`'s call `d` (its stack pointer `sp`, for
  /// messages): a warning per argument whose directory could not be named, a line per rule
  /// decision, and a problem line when the new strings could not be written. The decision
  /// lines of a call that runs changed wait for its result (end_call()); the others are
  /// written at once.
  void entry(pid_t pid, const EntryDecision& d, std::uint64_t sp, bool dry_run);
  /// Writes the waiting lines of `pid`'s call, each ending with ` = ` and result_text(result).
  /// Nothing when none wait.
  void end_call(pid_t pid, std::optional<long> result);
  /// Writes the waiting lines of `pid`'s call as they are: the call was not changed (allow, a
  /// dry run, a rewrite to the same path), so its result is not ours to show.
  void flush(pid_t pid);
  /// Drops the waiting lines of `pid`'s call: the kernel runs it again (a restart after a
  /// signal), and its next entry logs it anew with its final result.
  void discard(pid_t pid) { open_.erase(pid); }
  /// Something the user should know about one syscall that is not a failure.
  void warning(pid_t pid, std::string_view syscall, std::string_view what);
  /// The log is stderr (`--log -`), where notices go too: a notice need not be logged twice.
  [[nodiscard]] bool is_stderr() const { return out_.fd() == STDERR_FILENO; }
  /// A problem with one syscall that the run survives (failed stack write...).
  void problem(pid_t pid, std::string_view syscall, std::string_view what);
  /// `pid` runs a new program (exec) or is gone: its name is read again for its next line.
  void forget_name(pid_t pid) { names_.erase(pid); }
  /// `pid`'s name is `comm` (as /proc/PID/comm holds it, without the newline): for lines about
  /// a process that reported its name itself (the in-process backend's records).
  void name_thread(pid_t pid, std::string_view comm);

 private:
  DecisionLog(int fd, std::string what) : out_(fd, std::move(what)) {}
  void write_line(std::string_view line);
  // One argument's decision, appended to `pid`'s waiting lines.
  void decision(pid_t pid, std::string_view syscall, const ArgDecision& a, bool dry_run);
  // A decision about a whole call (a rule on a syscall without strings).
  void call_decision(pid_t pid, std::string_view syscall, const rules::Decision& d, bool dry_run);
  // "TIME PID SYSCALL KIND: WHAT", for problem() and warning().
  void note(pid_t pid, std::string_view syscall, std::string_view kind, std::string_view what);
  OwnOutput out_;  // its fd is owned unless it is stderr's
  // "(comm)" of `pid` for its lines, read from /proc once per program it runs (names_).
  const std::string& name_of(pid_t pid);
  // Per thread, the lines of its current call ('\n' after each), until its result is known.
  std::unordered_map<pid_t, std::string> open_;
  // Per thread, "(comm)": reading /proc at every line doubled the cost of a logged call.
  std::unordered_map<pid_t, std::string> names_;
};

}  // namespace redirect::engine
