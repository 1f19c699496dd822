// What `redirect trace` makes of the path calls it saw: each one as a JSON line or a short
// strace-like text, and, at the end, a summary ordered by what a packager needs first
// (paths that failed, paths written, rules that did not help). Pure code over PathEvents: no
// ptrace, no printing, so it is unit-tested with made-up events. The surprise: most failed
// lookups of a healthy program are harmless probes (the dynamic loader's search path,
// Python's import path), so failures are grouped by directory and counted, never listed one
// by one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/path_events.h"
#include "rules/file_access.h"
#include "rules/matcher.h"

namespace redirect::cli {

/// What a path call does to its file, for the packager (rules/file_access.h: one decision for
/// the report and --no-host-writes).
using rules::Access;
using rules::access_of;

[[nodiscard]] std::string_view access_name(Access a);

/// open flags as strace prints them: "O_RDWR|O_CREAT|O_CLOEXEC".
[[nodiscard]] std::string open_flags_text(std::uint64_t flags);

/// One call on one line: `sqlite3[42] openat("x.db-journal" (/data/x.db-journal), O_RDWR|O_CREAT)
/// = -1 ENOENT (No such file or directory)`, with ` [rule 'r': -> "NEW"]` for a rewrite.
[[nodiscard]] std::string call_text(const engine::PathEvent& e);

/// The event as one line of JSON (no newline); fields in docs/trace.md.
[[nodiscard]] std::string event_json(const engine::PathEvent& e);

/// The absolute path argument `a` names ("" when it could not be named).
[[nodiscard]] inline const std::string& path_of(const engine::PathEventArg& a) {
  return a.resolved;
}

/// The errno of a failed result, else 0.
[[nodiscard]] int error_of(const engine::PathEvent& e);

/// What is known of one path, for the summary and the suggestions.
struct PathFacts {
  std::uint64_t calls = 0;
  int error = 0;         ///< errno of the first failed call (0: none failed)
  std::string example;   ///< call_text() of the first call that opened, wrote or ran it, else
                         ///< of the first call
  bool example_uses = false;  ///< `example` opened, wrote or ran the file (not metadata)
  bool used = false;       ///< some call opened, wrote or ran it (not only stat, O_PATH...)
  bool succeeded = false;  ///< some call on it succeeded
};

/// The calls of one run, aggregated as they come. Memory is bounded: each section keeps at
/// most `max_paths` distinct paths (a program that fails on millions of names would make the
/// tracer grow without end); calls on paths beyond that are counted, and the summary says how
/// many paths it dropped.
class TraceReport {
 public:
  explicit TraceReport(std::size_t max_paths = 20000) : max_paths_(max_paths) {}

  void add(const engine::PathEvent& e);

  /// Calls added so far.
  [[nodiscard]] std::uint64_t calls() const { return calls_; }

  /// The summary, in the order of the issue it answers: failed paths by directory, written
  /// paths by directory, then rules that never matched and rewrites that failed. `rules`: the
  /// run's compiled rules (empty without --rules).
  [[nodiscard]] std::string summary(std::span<const rules::CompiledRule> rules) const;

  /// Absolute paths the program failed to find (ENOENT, ENOTDIR) or read from the host
  /// unchanged (read, exec, metadata that succeeded): the candidates for bundle rules.
  [[nodiscard]] const std::map<std::string, PathFacts>& looked_up() const { return looked_up_; }
  /// Absolute paths created or written (or that failed to be), unchanged by the rules.
  [[nodiscard]] const std::map<std::string, PathFacts>& written() const { return written_; }

 private:
  std::uint64_t calls_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t rewritten_ = 0;
  std::set<std::string> programs_;
  void note(std::map<std::string, PathFacts>& into, std::string_view path, int error,
            const std::string& example, Access access);

  std::size_t max_paths_;
  std::uint64_t dropped_ = 0;  // notes on paths a full section did not keep
  std::string last_failure_;   // the run's last failed call
  // The last failed call before the message catalog probes that follow a program's failure
  // (gettext's LC_MESSAGES/*.mo, the locale archive): often the one it gave up on.
  std::string last_non_locale_failure_;
  std::map<std::string, PathFacts> failed_paths_;   // summary 1
  std::map<std::string, PathFacts> written_paths_;  // summary 2 (all writes, rewritten or not)
  std::map<std::string, PathFacts> looked_up_;
  std::map<std::string, PathFacts> written_;
  std::map<std::size_t, std::uint64_t> rule_hits_;  // by CompiledRule::id
  std::map<std::size_t, PathFacts> rule_failures_;  // rewrites that then failed
};

}  // namespace redirect::cli
