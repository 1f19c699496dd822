// DecisionReport (see decision_report.h).
#include "engine/decision_report.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace redirect::engine {

DecisionReport::DecisionReport(std::size_t rules, bool dry_run, DecisionLog* log, Stats& stats,
                               Notices& notices)
    : dry_run_(dry_run), log_(log), stats_(stats), notices_(notices) {
  stats_.rule_hits.resize(rules);
  stats_.rule_failed.resize(rules);
}

void DecisionReport::entry(const Tracee& t, const SyscallEntry& e, const EntryDecision& d) {
  entry(t.tid, e.sp, d);
}

void DecisionReport::entry(pid_t tid, std::uint64_t sp, const EntryDecision& d) {
  for (const ArgDecision& a : d.decided()) {
    if (!a.unnamed_why.empty()) ++stats_.unresolved;
    if (a.decision.rule && a.decision.rule->id < stats_.rule_hits.size())
      ++stats_.rule_hits[a.decision.rule->id];
    if (a.decision.match_error) ++stats_.match_errors;
  }
  if (d.call.rule && d.call.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[d.call.rule->id];
  if (d.applied == Applied::patched) ++stats_.rewritten;
  if (d.write_error != 0)
    notices_.say(fmt::format(
        "pid {}: {}: cannot write the rewritten path (sp {:#x}): {}{}; the call fails with {}",
        tid, d.syscall, sp, std::strerror(d.write_error), d.write_problem,
        d.fail_errno == ENOMEM ? "ENOMEM" : "EFAULT"));
  if (log_) log_->entry(tid, d, sp, dry_run_);
}

void DecisionReport::exit(pid_t tid, const ExitStop& stop) {
  std::optional<long> result;
  if (stop.have_result) result = stop.result;
  if (stop.have_result && stop.plan.rule_count > 0 && is_error_result(stop.result)) {
    ++stats_.rewritten_failed;
    for (unsigned i = 0; i < stop.plan.rule_count; ++i)
      if (stop.plan.rule_ids[i] < stats_.rule_failed.size())
        ++stats_.rule_failed[stop.plan.rule_ids[i]];
  }
  if (log_) log_->end_call(tid, result);
}

void DecisionReport::restarted(pid_t tid, const ExitStop& held) {
  if (log_) log_->discard(tid);
  if (held.plan.rule_count == 0) return;
  --stats_.rewritten;
  if (held.plan.by_stub) --stats_.one_stop;
  for (unsigned i = 0; i < held.plan.rule_count; ++i) {
    const std::uint32_t id = held.plan.rule_ids[i];
    if (id < stats_.rule_hits.size()) --stats_.rule_hits[id];
  }
}

void DecisionReport::call_end(pid_t tid, std::optional<long> result) {
  if (!log_) return;
  log_->end_call(tid, result);
  log_->forget_name(tid);  // an exec (a new program) or the thread's end
}

}  // namespace redirect::engine
