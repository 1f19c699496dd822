// RecordedPathEvents and first_exec (see inproc_path_events.h).
#include "cli/inproc_path_events.h"

#include <linux/audit.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "engine/exec_search.h"
#include "engine/path_recorder.h"
#include "rules/path_resolve.h"
#include "rules/path_text.h"
#include "rules/syscall_table.h"

namespace redirect::cli {
namespace {

using inproc::RecordKind;

std::string_view comm_of(const inproc::RecordHeader& h) {
  return {h.comm, strnlen(h.comm, sizeof h.comm)};
}

// The syscall a record is about, when the trace reports it (%file, %exec).
std::optional<rules::Sys> traced_sys(std::int32_t nr) {
  auto s = rules::syscall_from_number(nr, AUDIT_ARCH_X86_64);
  if (!s || !(rules::syscall_info(*s).classes & (rules::TF | rules::TE))) return std::nullopt;
  return s;
}

}  // namespace

std::optional<FirstExec> first_exec(const std::string& command) {
  for (const std::string& c : engine::exec_candidates(command, std::getenv("PATH"))) {
    if (::access(c.c_str(), X_OK) != 0) continue;
    std::error_code ec;
    const std::string cwd = std::filesystem::current_path(ec).string();
    std::array<char, PATH_MAX> out;
    auto n = rules::join_path(ec ? "/" : cwd, c, out);
    return FirstExec{c, n ? std::string(out.data(), *n) : std::string()};
  }
  return std::nullopt;
}

RecordedPathEvents::RecordedPathEvents(const rules::Matcher& rules, engine::PathObserver& observer,
                                       bool dry_run, std::optional<FirstExec> first)
    : rules_(rules), observer_(observer), dry_run_(dry_run), first_(std::move(first)) {}

engine::PathEvent RecordedPathEvents::event_of(const DecodedRecord& r) const {
  const inproc::RecordHeader& h = r.header;
  engine::PathEvent ev;
  ev.tid = h.tid;
  ev.program = std::string(comm_of(h));
  ev.sys = *traced_sys(h.nr);
  ev.syscall = rules::syscall_info(ev.sys).name;
  ev.open_flags = h.open_flags;
  ev.dry_run = dry_run_;
  const std::vector<rules::PathArgument> paths = rules::path_arguments(h.nr, AUDIT_ARCH_X86_64);
  for (const engine::ArgDecision& a : r.decision.decided()) {
    // A symlink's target names no file the call accesses: not reported, as under ptrace.
    if (std::none_of(paths.begin(), paths.end(), [&](const auto& p) { return p.reg == a.arg; }))
      continue;
    ev.args.push_back(engine::path_event_arg(a));
  }
  return ev;
}

void RecordedPathEvents::receive(const DecodedRecord& r) {
  const inproc::RecordHeader& h = r.header;
  switch (h.kind) {
    case RecordKind::call:
      if (!traced_sys(h.nr)) return;  // a ruled call outside %file (connect...): not traced
      {
        engine::PathEvent ev = event_of(r);
        ev.result = static_cast<long>(h.result);
        observer_.on_path_event(ev);
      }
      return;
    case RecordKind::exec:
      if (traced_sys(h.nr)) execs_[h.tid] = PendingExec{h.pid, event_of(r)};
      return;
    case RecordKind::exec_failed:
      if (auto it = execs_.find(h.tid); it != execs_.end()) {
        it->second.event.result = static_cast<long>(h.result);
        observer_.on_path_event(it->second.event);
        execs_.erase(it);
      }
      return;
    case RecordKind::armed:
      return armed(h);
  }
}

void RecordedPathEvents::armed(const inproc::RecordHeader& h) {
  bool ended = false;
  for (auto it = execs_.begin(); it != execs_.end();) {
    if (it->second.pid != h.pid) {
      ++it;
      continue;
    }
    // The exec succeeded; the event names the program it started, as under ptrace.
    it->second.event.result = 0;
    it->second.event.program = std::string(comm_of(h));
    observer_.on_path_event(it->second.event);
    it = execs_.erase(it);
    ended = true;
  }
  if (ended || started_) {
    started_ = true;
    return;
  }
  started_ = true;
  if (!first_) return;
  // The program redirect exec'd: the first event of a ptrace trace too.
  engine::PathEvent ev;
  ev.tid = h.pid;
  ev.program = std::string(comm_of(h));
  ev.sys = rules::Sys::execve;
  ev.syscall = rules::syscall_info(ev.sys).name;
  ev.dry_run = dry_run_;
  ev.args.push_back({0, first_->passed, first_->resolved, rules::Action::none, nullptr, ""});
  ev.result = 0;
  observer_.on_path_event(ev);
}

void RecordedPathEvents::finish() {
  // An exec whose new program never armed (it runs unredirected, or died first): its result
  // is unknown, as the report says.
  for (auto& [tid, pending] : execs_) observer_.on_path_event(pending.event);
  execs_.clear();
}

}  // namespace redirect::cli
