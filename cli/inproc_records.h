// redirect's side of the in-process backend's decision records (inproc/call_record.h): a
// message from the program made back into the engine's EntryDecision, so the --log lines and
// the --stats counters come from the very code a ptrace run uses (engine::DecisionReport and
// engine::DecisionLog); nothing here formats a line. The rule ids in a record index the rules
// redirect compiled from the same files with the same @{VAR} values; a record whose ids or
// lengths do not fit is dropped and counted (Stats::records_bad), never trusted.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>

#include "engine/decision_report.h"
#include "engine/entry_decision.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "inproc/call_record.h"
#include "rules/matcher.h"

namespace redirect::cli {

struct DecodedRecord {
  inproc::RecordHeader header;
  engine::EntryDecision decision;  ///< its strings point into the message
};

/// `message` as a record of this build, checked against `rules` (x86_64); nullopt when it is
/// not one (short, another magic, a count, length, action or rule id out of range).
[[nodiscard]] std::optional<DecodedRecord> decode_record(std::span<const char> message,
                                                         const rules::Matcher& rules);

/// Another consumer of the decoded records (`redirect trace`: inproc_path_events.h).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// Each record that made sense, in the order received.
  virtual void receive(const DecodedRecord& record) = 0;
  /// The run is over: nothing more comes.
  virtual void finish() = 0;
};

/// Receives the records of one run and hands them to the log and the counters.
class RecordCollector {
 public:
  /// `log` and `sink` may be null; they, `stats` and `notices` must outlive this.
  RecordCollector(const rules::Matcher& rules, bool dry_run, engine::DecisionLog* log,
                  engine::Stats& stats, engine::Notices& notices, RecordSink* sink = nullptr);

  /// One message as received.
  void receive(std::span<const char> message);
  /// The run is over: an exec whose outcome never came (the program it started did not arm
  /// the runtime) ends its line with "0" when its process has ended without saying it failed,
  /// with "?" while it still runs; lost or dropped records are said on stderr.
  void finish();

 private:
  void call(const DecodedRecord& r);
  void end_exec(pid_t tid, std::optional<long> result);

  const rules::Matcher& rules_;
  engine::DecisionLog* log_;
  engine::Stats& stats_;
  engine::Notices& notices_;
  RecordSink* sink_;
  engine::DecisionReport report_;
  // Rewritten execs waiting for their outcome, by thread: its process and its rules.
  struct PendingExec {
    pid_t pid = 0;
    engine::ExitPlan plan;
  };
  std::unordered_map<pid_t, PendingExec> execs_;
};

}  // namespace redirect::cli
