// PathRecorder (see path_recorder.h). Cost per path call: one exit stop (PTRACE_SYSCALL
// instead of PTRACE_CONT) and one result read, plus one read of /proc/TID/comm per thread and
// program.
#include "engine/path_recorder.h"

#include <fcntl.h>

#include <cstring>
#include <fstream>

#include "rules/path_resolve.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// The open flags of `s` at entry `e`; openat2's are the first field of its struct open_how
// (include/uapi/linux/openat2.h), read from the tracee.
std::uint64_t open_flags_of(rules::Sys s, const SyscallEntry& e, pid_t tid, TraceeIo& io) {
  switch (s) {
    case rules::Sys::open:
      return static_cast<std::uint32_t>(e.args[1]);
    case rules::Sys::openat:
      return static_cast<std::uint32_t>(e.args[2]);
    case rules::Sys::creat:
      return O_CREAT | O_WRONLY | O_TRUNC;
    case rules::Sys::openat2: {
      std::uint64_t flags = 0;
      char raw[8];
      if (io.read_bytes(tid, RemotePtr{e.args[2]}, std::span(raw, sizeof raw)))
        std::memcpy(&flags, raw, sizeof flags);
      return flags;
    }
    default:
      return 0;
  }
}

}  // namespace

const std::string& PathRecorder::name_of(pid_t tid) {
  auto it = names_.find(tid);
  if (it != names_.end()) return it->second;
  std::string name;
  std::ifstream comm("/proc/" + std::to_string(tid) + "/comm");
  std::getline(comm, name);  // not an error if it fails: the tracee may be dying
  return names_.emplace(tid, std::move(name)).first->second;
}

bool PathRecorder::records(const SyscallEntry& e) {
  if (!e.personality || e.nr < 0) return false;
  auto s = rules::syscall_from_number(static_cast<int>(e.nr), e.audit_arch);
  return s && (rules::syscall_info(*s).classes & (rules::TF | rules::TE));
}

void PathRecorder::entered(Tracee& t, const SyscallEntry& e, const EntryDecision& d,
                           SyscallPatcher& patcher, bool seccomp_stop) {
  const rules::Sys s = *rules::syscall_from_number(static_cast<int>(e.nr), e.audit_arch);
  PathEvent& ev = open_[t.tid];
  ev.tid = t.tid;
  ev.program = name_of(t.tid);
  ev.sys = s;
  ev.syscall = rules::syscall_info(s).name;
  ev.open_flags = open_flags_of(s, e, t.tid, io_);
  ev.args.clear();
  for (const ArgDecision& a : d.decided()) {
    if (!rules::is_path(a.base)) continue;  // a symlink's target: no file is accessed
    ev.args.push_back(path_event_arg(a));
  }
  ev.result.reset();
  if (!d.runs()) ev.result = -static_cast<long>(d.fail_errno);
  ev.dry_run = dry_run_;
  if (!ev.result && veto_ && program_started_) {
    if (int error = veto_->refuse(ev)) {
      patcher.fail(t, e, ev.syscall, error, seccomp_stop);
      ev.result = -static_cast<long>(error);
    }
  }
  if (ev.result) return hand_over(t.tid);
  if (t.exit_planned())
    SyscallPatcher::want_result(t);
  else
    patcher.watch_exit(t, e, ev.syscall);
}

void PathRecorder::on_exit(pid_t tid, const ExitStop& stop) {
  auto it = open_.find(tid);
  if (it == open_.end()) return;
  if (stop.have_result) it->second.result = stop.result;
  hand_over(tid);
}

void PathRecorder::on_call_end(pid_t tid, std::optional<long> result, pid_t now) {
  auto it = open_.find(tid);
  if (it == open_.end()) return;
  it->second.result = result;
  if (result == 0 && (rules::syscall_info(it->second.sys).classes & rules::TE)) {
    const pid_t running = now ? now : tid;
    forget_name(running);
    it->second.program = name_of(running);  // the program the execve started
  }
  hand_over(tid);
}

void PathRecorder::hand_over(pid_t tid) {
  auto node = open_.extract(tid);
  const PathEvent& ev = node.mapped();
  if (!program_started_) {
    if (!(rules::syscall_info(ev.sys).classes & rules::TE) || ev.result != 0) return;
    program_started_ = true;
  }
  observer_.on_path_event(ev);
}

PathEventArg path_event_arg(const ArgDecision& a) {
  PathEventArg out;
  out.arg = a.arg;
  out.passed = a.value.passed;
  out.resolved = a.value.resolved.value_or(std::string_view());
  out.action = a.decision.action;
  out.rule = a.decision.rule;
  if (a.decision.action == rules::Action::rewrite) out.replacement = a.decision.replacement;
  return out;
}

}  // namespace redirect::engine
