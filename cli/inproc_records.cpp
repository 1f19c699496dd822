// decode_record and RecordCollector (see inproc_records.h).
#include "cli/inproc_records.h"

#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "cli/process_ended.h"
#include "rules/regex.h"

namespace redirect::cli {
namespace {

using inproc::RecordApplied;
using inproc::RecordKind;

constexpr auto kLastAction = static_cast<std::uint8_t>(rules::Action::unwritable);

// The rule `id` names, null for -1; false when it names none of `rules`.
bool rule_of(std::int32_t id, const rules::Matcher& rules, const rules::CompiledRule*& out) {
  out = nullptr;
  if (id == -1) return true;
  if (id < 0 || static_cast<std::size_t>(id) >= rules.rules().size()) return false;
  out = &rules.rules()[static_cast<std::size_t>(id)];
  return true;
}

bool known_action(std::uint8_t action) {
  return action <= kLastAction;
}

// One argument of `h` into `a`, its strings taken from `rest` (advanced past them).
bool decode_arg(const inproc::RecordArg& in, std::string_view& rest, const rules::Matcher& rules,
                engine::ArgDecision& a) {
  const std::size_t lengths[4] = {in.passed_len, in.resolved_len, in.replacement_len, in.why_len};
  std::string_view s[4];
  for (int i = 0; i < 4; ++i) {
    if (lengths[i] > rest.size()) return false;
    s[i] = rest.substr(0, lengths[i]);
    rest.remove_prefix(lengths[i]);
  }
  if (!known_action(in.action) || in.arg >= rules::kSyscallArgs) return false;
  a.arg = in.arg;
  a.socket = (in.flags & inproc::kSocket) != 0;
  a.value.passed = s[0];
  if (in.flags & inproc::kResolved) a.value.resolved = s[1];
  a.unnamed_why = s[3];
  a.decision.action = static_cast<rules::Action>(in.action);
  a.decision.error = in.error;
  a.decision.replacement = s[2];
  a.decision.match_error = (in.flags & inproc::kMatchError) != 0;
  a.same = (in.flags & inproc::kSame) != 0;
  a.target_kept = (in.flags & inproc::kTargetKept) != 0;
  a.confined = (in.flags & inproc::kConfined) != 0;
  if (!rule_of(in.rule, rules, a.decision.rule)) return false;
  // A decision without its rule would print "-" and could not say why a pattern gave up.
  return a.decision.action == rules::Action::none || a.decision.rule != nullptr;
}

// PCRE2's message for a pattern that gave up stays where the match ran, in the program. The
// same match here gives it again (the limits are fixed: rules/regex.h), for the log line.
void replay_match_errors(const engine::EntryDecision& d) {
  for (const engine::ArgDecision& a : d.decided())
    if (a.decision.match_error && a.decision.rule && a.decision.rule->regex)
      (void)a.decision.rule->regex->try_match(a.matched_resolved().value_or(a.value.passed));
}

}  // namespace

std::optional<DecodedRecord> decode_record(std::span<const char> message,
                                           const rules::Matcher& rules) {
  DecodedRecord r;
  if (message.size() < sizeof r.header) return std::nullopt;
  std::memcpy(&r.header, message.data(), sizeof r.header);
  const inproc::RecordHeader& h = r.header;
  if (h.magic != inproc::kRecordMagic || h.arg_count > rules::kSyscallArgs ||
      static_cast<std::uint8_t>(h.kind) > static_cast<std::uint8_t>(RecordKind::armed) ||
      static_cast<std::uint8_t>(h.applied) > static_cast<std::uint8_t>(RecordApplied::failed) ||
      !known_action(h.call_action))
    return std::nullopt;
  std::string_view rest(message.data() + sizeof h, message.size() - sizeof h);
  engine::EntryDecision& d = r.decision;
  d.syscall = rules.syscall_name(h.nr);
  d.call.action = static_cast<rules::Action>(h.call_action);
  d.call.error = h.call_error;
  if (!rule_of(h.call_rule, rules, d.call.rule)) return std::nullopt;
  if (d.call.action != rules::Action::none && d.call.rule == nullptr) return std::nullopt;
  for (std::size_t k = 0; k < h.arg_count; ++k)
    if (!decode_arg(h.args[k], rest, rules, d.args[k])) return std::nullopt;
  if (!rest.empty()) return std::nullopt;
  d.arg_count = h.arg_count;
  d.fail_errno = h.applied == RecordApplied::failed ? h.fail_errno : 0;
  d.applied = h.applied == RecordApplied::patched  ? engine::Applied::patched
              : h.applied == RecordApplied::failed ? engine::Applied::failed
                                                   : engine::Applied::nothing;
  return r;
}

RecordCollector::RecordCollector(const rules::Matcher& rules, bool dry_run,
                                 engine::DecisionLog* log, engine::Stats& stats,
                                 engine::Notices& notices, RecordSink* sink)
    : rules_(rules),
      log_(log),
      stats_(stats),
      notices_(notices),
      sink_(sink),
      report_(rules.rules().size(), dry_run, log, stats, notices) {}

void RecordCollector::receive(std::span<const char> message) {
  std::optional<DecodedRecord> r = decode_record(message, rules_);
  if (!r) {
    ++stats_.records_bad;
    return;
  }
  const inproc::RecordHeader& h = r->header;
  if (h.kind == RecordKind::call || h.kind == RecordKind::exec) ++stats_.records;
  stats_.records_lost += h.lost_before;
  if (log_) log_->name_thread(h.tid, std::string_view(h.comm, strnlen(h.comm, sizeof h.comm)));
  if (sink_) sink_->receive(*r);
  switch (h.kind) {
    case RecordKind::call:
    case RecordKind::exec:
      return call(*r);
    case RecordKind::exec_failed:
      return end_exec(h.tid, h.result);
    case RecordKind::armed:
      // The exec that started this process succeeded; its thread now has the process's id.
      for (auto it = execs_.begin(); it != execs_.end();) {
        const bool mine = it->second.pid == h.pid;
        const pid_t tid = it->first;
        ++it;
        if (mine) end_exec(tid, 0);
      }
      return;
  }
}

void RecordCollector::call(const DecodedRecord& r) {
  const inproc::RecordHeader& h = r.header;
  const engine::EntryDecision& d = r.decision;
  stats_.unreadable += h.unreadable;
  if (log_) replay_match_errors(d);
  report_.entry(h.tid, 0, d);
  if (d.applied == engine::Applied::failed) ++stats_.denied;
  if (d.applied != engine::Applied::patched) return;
  engine::ExitPlan plan;
  for (const engine::ArgDecision& a : d.decided())
    if (a.changes()) plan.rule_ids[plan.rule_count++] = static_cast<std::uint32_t>(a.decision.rule->id);
  if (h.kind == RecordKind::exec) {
    execs_[h.tid] = PendingExec{h.pid, plan};
    return;
  }
  engine::ExitStop stop;
  stop.watched = stop.have_result = true;
  stop.result = static_cast<long>(h.result);
  stop.syscall = d.syscall;
  stop.plan = plan;
  report_.exit(h.tid, stop);
}

void RecordCollector::end_exec(pid_t tid, std::optional<long> result) {
  auto it = execs_.find(tid);
  if (it == execs_.end()) return;
  engine::ExitStop stop;
  stop.watched = true;
  stop.have_result = result.has_value();
  stop.result = result.value_or(0);
  stop.plan = it->second.plan;
  execs_.erase(it);
  report_.exit(tid, stop);
  if (log_) log_->forget_name(tid);
}

void RecordCollector::finish() {
  // A process that ended without an exec_failed record made its exec (process_ended.h).
  while (!execs_.empty()) {
    const auto& [tid, pending] = *execs_.begin();
    end_exec(tid, process_has_ended(pending.pid) ? std::optional<long>(0) : std::nullopt);
  }
  if (sink_) sink_->finish();
  if (stats_.records_lost > 0)
    notices_.say(fmt::format("{} decision records could not be sent by the program (its "
                             "descriptor closed, or redirect's socket gone); the log and "
                             "--stats miss them",
                             stats_.records_lost));
  if (stats_.records_bad > 0)
    notices_.say(fmt::format("{} decision records made no sense and were dropped (a rule file "
                             "changed since the start?)",
                             stats_.records_bad));
}

}  // namespace redirect::cli
