// `redirect trace --backend inproc`: the runtime's records (inproc/call_record.h) made back into
// the engine's PathEvents, so the report, the JSON lines and the suggested rules come from the
// very code a ptrace trace feeds (cli/trace_report.h, cli/suggest.h); nothing here decides or
// formats. The runtime records every %file and %exec call (inproc/traced_calls.h) with its
// result; this keeps the path arguments of each (a symlink's target is none, as under ptrace).
// The surprises: an exec's record comes before the call, its result later (the new program's
// `armed` record, whose thread name is the new program's, or `exec_failed`); and the exec that
// starts the program is redirect's own, made before any runtime exists, so its event is made
// here from the path redirect exec'd, when that program arms.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <unordered_map>

#include "cli/inproc_records.h"
#include "engine/path_events.h"
#include "rules/matcher.h"

namespace redirect::cli {

/// The exec redirect makes itself: the program's path as exec'd and the absolute path it names.
struct FirstExec {
  std::string passed;
  std::string resolved;
};

/// The first of `command`'s candidates on $PATH that is executable (as execvp tries them), as
/// passed and made absolute against the working directory; nullopt when none is.
[[nodiscard]] std::optional<FirstExec> first_exec(const std::string& command);

class RecordedPathEvents final : public RecordSink {
 public:
  /// `rules` (x86_64) and `observer` must outlive this.
  RecordedPathEvents(const rules::Matcher& rules, engine::PathObserver& observer, bool dry_run,
                     std::optional<FirstExec> first);
  void receive(const DecodedRecord& record) override;
  /// Execs whose outcome never came are handed over with an unknown result.
  void finish() override;
  /// Whether some program armed the runtime (the program started).
  [[nodiscard]] bool started() const { return started_; }

 private:
  engine::PathEvent event_of(const DecodedRecord& r) const;
  void armed(const inproc::RecordHeader& h);

  const rules::Matcher& rules_;
  engine::PathObserver& observer_;
  bool dry_run_;
  std::optional<FirstExec> first_;
  bool started_ = false;
  struct PendingExec {
    pid_t pid = 0;
    engine::PathEvent event;
  };
  std::unordered_map<pid_t, PendingExec> execs_;  // by thread
};

}  // namespace redirect::cli
