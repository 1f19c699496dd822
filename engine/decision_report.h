// What a run says about its decisions, kept apart from taking them: the --log lines and the
// --stats counters receive each entry stop's EntryDecision, each watched exit stop's result,
// and the end of a call that had no exit stop of ours. They only look; nothing here changes a
// tracee. The surprise: a call interrupted by a signal and restarted by the kernel comes back
// through a fresh entry stop, so what its first entry counted is taken back (restarted()).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>

#include "engine/entry_decision.h"
#include "engine/exit_plan.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/regs.h"
#include "engine/tracee.h"

namespace redirect::engine {

class DecisionReport {
 public:
  /// `rules`: how many compiled rules there are (for the per-rule counters). `log` may be
  /// null; it, `stats` and `notices` must outlive this.
  DecisionReport(std::size_t rules, bool dry_run, DecisionLog* log, Stats& stats,
                 Notices& notices);

  /// After the entry stage of `t`'s call `e` decided and patched `d`: counts hits, rewrites,
  /// unnamed directories and match errors; logs the decisions; says when new strings could
  /// not be written.
  void entry(const Tracee& t, const SyscallEntry& e, const EntryDecision& d);
  /// The same for thread `tid` with the stack pointer `sp` (for messages): the in-process
  /// backend's decisions, which come without a stop.
  void entry(pid_t tid, std::uint64_t sp, const EntryDecision& d);
  /// At a watched exit stop of `tid`: ends its log lines with the result and counts a
  /// rewritten call the kernel failed, per rule.
  void exit(pid_t tid, const ExitStop& stop);
  /// `tid`'s call held at `held` (a restart code) runs again: its log lines are dropped and
  /// its counts taken back, since the next entry decides it anew.
  void restarted(pid_t tid, const ExitStop& held);
  /// `tid`'s call ended without an exit stop we read (an execve that succeeded: 0; a thread
  /// that died: nullopt).
  void call_end(pid_t tid, std::optional<long> result);

 private:
  bool dry_run_;
  DecisionLog* log_;
  Stats& stats_;
  Notices& notices_;
};

}  // namespace redirect::engine
