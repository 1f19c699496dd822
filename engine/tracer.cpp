// The wait loop (see tracer.h) and its stop handlers. Resume rule: a tracee runs with
// PTRACE_CONT, unless we must see its next syscall stop (ptrace mode, or an exit stop to
// restore registers after a rewrite), then PTRACE_SYSCALL. ESRCH from any ptrace call means
// the tracee died meanwhile (SIGKILL, exit of another thread's exec): its exit status comes
// through waitpid later. This is not an error.
#include "engine/tracer.h"

#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "engine/arch/native.h"
#include "engine/one_stop.h"
#include "engine/seccomp_filter.h"
#include "engine/signals.h"
#include "engine/spawn.h"
#include "engine/trap_set.h"
#include "engine/wait_status.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// A log line and trace wait for each call's result, which only an exit stop shows.
bool one_stop_possible(const TracerOptions& options, const DecisionLog* log) {
  return options.one_stop && log == nullptr && options.observer == nullptr;
}

RunOutcome outcome_of(int raw) {
  if (WIFEXITED(raw)) return {RunOutcome::Kind::exited, WEXITSTATUS(raw)};
  if (WIFSIGNALED(raw)) return {RunOutcome::Kind::killed, WTERMSIG(raw)};
  return {};
}

}  // namespace

Tracer::Tracer(std::span<const rules::Matcher* const> matchers, TracerOptions options,
               DecisionLog* log, Stats& stats, Notices& notices)
    : matchers_(matchers),
      options_(options),
      stats_(stats),
      notices_(notices),
      sharing_(true),
      scratch_(stats, log, &notices),
      patcher_(io_, scratch_, stats, options.read_results || log != nullptr),
      own_traps_(patcher_, scratch_, log, notices),
      rewriter_(matchers, options.rewrite, io_, patcher_, own_traps_, log, stats, notices),
      stub_results_(options.read_results && one_stop_possible(options, log), io_, rewriter_,
                    interrupted_, stats),
      setid_(notices) {
  if (scratch_.runs_under_filters()) own_traps_.set_foreign_filters_possible();
  const bool one_stop = one_stop_possible(options, log);
  patcher_.set_one_stop(one_stop);
  scratch_.set_stubs(one_stop);
  if (options.observer)
    recorder_.emplace(*options.observer, io_, options.rewrite.dry_run, options.veto);
}

RunOutcome Tracer::run(char** argv) {
  SignalPolicy signals;
  signals_ = &signals;
  std::vector<sock_filter> filter;
  if (options_.mode == Mode::seccomp) {
    // --stats reads a one-stop rewrite's result at its thread's next stop: the ends of a
    // thread and execs are made such stops (stub_results.h).
    const bool ends = stub_results_.on();
    filter = filter_for(matchers_, recorder_.has_value(), ends);
    if (options_.verbose)
      say_trapped(notices_, matchers_, filter.size(), recorder_.has_value(), ends);
  } else if (options_.verbose) {
    notices_.say("--mode ptrace: stopping at every syscall");
  }
  for (;;) {
    if (options_.mode == Mode::ptrace) {  // every call has its exit stop anyway
      patcher_.set_one_stop(false);
      scratch_.set_stubs(false);
    }
    scratch_.set_trap_filter(!filter.empty());
    try {
      child_ = spawn_traced(argv, filter, signals);
    } catch (const TraceRefused& r) {
      return {RunOutcome::Kind::trace_refused, r.error};
    }
    first_child_ = child_.pid;
    sharing_.program_started();  // after the clone: the program keeps our policy and mask
    signals.deliver_pending();
    if (options_.watcher) options_.watcher->started();
    first_status_ = -1;
    report_ = {};
    tracees_.get_or_add(child_.pid);
    loop();
    sharing_.leave();
    stats_.cpu_shared = sharing_.counts().entered;
    stats_.cpu_unshared = sharing_.counts().left;
    stats_.cpu_moves = sharing_.counts().moves;
    if (report_.stage == ChildReport::Stage::filter) {
      // The program has not run yet: start it again, traced at every syscall instead.
      notices_.say(fmt::format(
          "cannot install the seccomp filter ({}); falling back to --mode ptrace",
          std::strerror(report_.error)));
      options_.mode = Mode::ptrace;
      filter.clear();
      continue;
    }
    return program_outcome();
  }
}

RunOutcome Tracer::program_outcome() const {
  if (report_.stage == ChildReport::Stage::exec)
    return {report_.error == ENOENT ? RunOutcome::Kind::not_found
                                    : RunOutcome::Kind::cannot_execute,
            report_.error};
  // ECHILD before the first child's exit would be a broken invariant: status_lost.
  if (first_status_ == -1) return {RunOutcome::Kind::status_lost, first_child_};
  return outcome_of(first_status_);
}

void Tracer::on_program_exit(int raw_status) {
  first_status_ = raw_status;
  report_ = read_child_report(child_.report);
  child_.report.reset();
  if (report_.stage == ChildReport::Stage::filter) {
    signals_->set_target(0);  // run() starts it again: a signal meanwhile waits for it
    return;
  }
  signals_->set_target(-1);  // its pid may be reused: signals to us have nowhere to go now
  if (options_.watcher && tracees_.size() != 0) {
    if (options_.end_on_signal) signals_->end_on_signal();
    options_.watcher->ended(program_outcome());
  }
}

void Tracer::loop() {
  for (;;) {
    // Statuses an injected syscall's wait took (a tracee that died meanwhile) come first.
    while (!scratch_.stolen().empty()) {
      auto [tid, status] = scratch_.stolen().back();
      scratch_.stolen().pop_back();
      on_stop(tid, status);
    }
    // A request that came between two waits is seen here; one during the wait, by EINTR.
    if (int sig = SignalPolicy::take_end_request(); sig && options_.watcher)
      options_.watcher->end_requested(sig);
    if (round_.empty() && !wait_for_round()) return;  // every tracee is gone
    if (round_.empty()) continue;  // the wait was interrupted (end_on_signal)
    auto [tid, status] = round_.front();
    round_.pop_front();
    on_stop(tid, status);
  }
}

// Every status ready now: one blocking wait, then WNOHANG until none is left, kept in the
// order they came. The loop handles the whole round before it waits again, so a tracee that
// stops again at once waits for the next round instead of going first: waitpid(-1) reports
// the newest tracee first (the kernel's list of ptraced tasks), and a loop that handled one
// status per wait let newer processes that keep stopping starve an older one for seconds
// (strace's next_event gathers a round the same way). False: no tracee is left (ECHILD).
bool Tracer::wait_for_round() {
  int status;
  int flags = __WALL;
  for (;;) {
    pid_t tid = waitpid(-1, &status, flags);
    if (tid > 0) {
      round_.emplace_back(tid, status);
      // With one tracee there is no one to be fair to: the poll would cost every stop a
      // waitpid that finds nothing (a new child's first stop waits for the next round).
      if (tracees_.size() <= 1) return true;
      flags = __WALL | WNOHANG;
      continue;
    }
    if (tid == 0) return true;  // WNOHANG: the round is complete
    // Only end_on_signal's handlers interrupt (SA_RESTART otherwise): back to the loop,
    // which looks at what the signal asked, with or without statuses.
    if (errno == EINTR) return true;
    if (errno == ECHILD) return !round_.empty();
    throw fmt::system_error(errno, "waitpid");
  }
}

void Tracer::on_stop(pid_t tid, int raw_status) {
  using Kind = WaitStatus::Kind;
  WaitStatus ws(raw_status);
  sharing_.on_stop(tid);
  io_.cwd_names().stopped(tid);
  switch (ws.kind()) {
    case Kind::exited:
    case Kind::killed:
      if (Tracee* t = tracees_.find(tid)) {
        stub_results_.lost(*t);
        ScratchAreas::release(*t);
      }
      interrupted_.forget(tid);
      io_.cwd_names().forget(tid);
      rewriter_.on_call_end(tid, std::nullopt);
      if (recorder_) {
        recorder_->on_call_end(tid, std::nullopt);
        recorder_->forget_name(tid);
      }
      tracees_.erase(tid);
      if (tid == first_child_) on_program_exit(raw_status);
      return;
    case Kind::seccomp_stop: {
      ++stats_.seccomp_stops;
      Tracee& t = tracees_.get_or_add(tid);
      if (t.stub_call.stub != 0) {
        // It made a syscall, which a stub never does: its stub is done, its slot free again.
        stub_results_.at_syscall(t);
        t.stub_call.stub = 0;
        if (!t.exit_planned()) ScratchAreas::release(t);
      }
      if (foreign_seccomp_stop(t)) return resume(t);
      on_syscall_entry(t, true);
      return;
    }
    case Kind::syscall_stop: {
      Tracee& t = tracees_.get_or_add(tid);
      if (options_.mode == Mode::ptrace && !t.in_syscall) return on_syscall_entry(t, false);
      // The exit of a syscall: in seccomp mode we only ask for those after a change.
      ++stats_.exit_stops;
      return on_syscall_exit(t);
    }
    case Kind::exec_event:
      ++stats_.other_stops;
      return on_exec(tid);
    case Kind::group_stop:
      ++stats_.other_stops;
      return on_group_stop(tid, ws.signal());
    case Kind::signal_stop: {
      ++stats_.signal_stops;
      Tracee& t = tracees_.get_or_add(tid);
      int sig = ws.signal();
      if (t.stub_call.stub != 0 && !on_stub_signal(t, sig)) return;
      if (interrupted_.holds(tid)) return on_interrupted_signal(t, sig);
      return resume(t, sig);
    }
    case Kind::clone_event:
      ++stats_.other_stops;
      on_clone(tid, ws.event());
      return resume(tracees_.get_or_add(tid));
    case Kind::trap_stop:
    case Kind::other_event:
      ++stats_.other_stops;
      return resume(tracees_.get_or_add(tid));
  }
}

// The new tracee may have reported its first stop already; either way it exists now. A fork
// or vfork child keeps its parent's sigaltstack; a thread starts without one. The child's
// address space is its parent's (vfork, CLONE_VM) or a copy of it holding the same scratch
// mapping (fork): kcmp(KCMP_VM) tells, and where it is missing the event's kind guesses.
void Tracer::on_clone(pid_t tid, int event) {
  unsigned long new_tid = 0;
  if (ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &new_tid) != 0) return;  // ESRCH
  const auto child_tid = static_cast<pid_t>(new_tid);
  Tracee parent = tracees_.get_or_add(tid);  // a copy: the next call may rehash
  Tracee& child = tracees_.get_or_add(child_tid);
  if (event != PTRACE_EVENT_CLONE) {
    child.altstack_lo = parent.altstack_lo;
    child.altstack_hi = parent.altstack_hi;
  }
  scratch_.filters().on_new_task(tid, child_tid);
  if (child.space || !parent.space) return;  // the child made its own already, or none exists
  constexpr int kcmp_vm = 1;                 // KCMP_VM, linux/kcmp.h
  long same = syscall(SYS_kcmp, tid, child_tid, kcmp_vm, 0, 0);
  bool shared = same == 0 || (same < 0 && event != PTRACE_EVENT_FORK);
  child.space = shared ? parent.space : parent.space->forked();
}

// A seccomp stop whose SECCOMP_RET_DATA is not redirect's marker comes from a filter of the
// program's own: without a tracer the call fails with ENOSYS (seccomp(2), SECCOMP_RET_TRACE),
// and so it does here. True when the stop was handled so.
bool Tracer::foreign_seccomp_stop(Tracee& t) {
  if (options_.mode == Mode::seccomp) {
    // Until a tracee installs a filter, every stop is ours: no ptrace call to ask (~1.5 us a
    // stop here). In ptrace mode redirect has no filter: every seccomp stop is foreign.
    if (!own_traps_.foreign_filters_possible()) return false;
    unsigned long data = 0;
    if (ptrace(PTRACE_GETEVENTMSG, t.tid, nullptr, &data) != 0) return errno == ESRCH;
    if (data == seccomp_marker) return false;
  }
  SyscallEntry e;
  if (read_syscall_entry(t.tid, e) != StopRead::entry || !e.personality) return true;
  ++stats_.foreign_seccomp;
  const std::string name = rules::syscall_name(static_cast<int>(e.nr), e.audit_arch);
  patcher_.fail(t, e, name, ENOSYS, true);
  return true;
}

void Tracer::on_syscall_entry(Tracee& t, bool seccomp_stop) {
  if (!seccomp_stop) ++stats_.entry_stops;
  SyscallEntry e;
  switch (read_syscall_entry(t.tid, e)) {
    case StopRead::gone:
      return;
    case StopRead::exit:  // our entry/exit bookkeeping was off: this was an exit
      return on_syscall_exit(t);
    case StopRead::entry:
      break;
  }
  if (!seccomp_stop) t.in_syscall = true;
  if (CwdNames::changes_names(e.audit_arch, e.nr)) io_.cwd_names().changing(t.tid);
  if (std::optional<ExitStop> held = interrupted_.on_entry(t.tid)) {
    rewriter_.on_call_restarted(t.tid, *held);  // this entry is that call again
    patcher_.restart_with_own_arg0(t, e, *held);
  }
  const bool recorded = recorder_ && PathRecorder::records(e);
  const EntryDecision& d = rewriter_.on_entry(t, e, seccomp_stop, recorded);
  // A call run again after an injection is decided, trapped and recorded at its next entry.
  if (d.applied == Applied::restarted || d.applied == Applied::gone) return resume(t);
  if (d.runs()) own_traps_.on_entry(t, e);
  if (recorded) recorder_->entered(t, e, d, patcher_, seccomp_stop);
  resume(t);
}

void Tracer::on_syscall_exit(Tracee& t) {
  t.in_syscall = false;
  // The mirror of the entry: the patcher puts back what the entry changed and reads the
  // result, each policy sees it (and may replace it), then the patcher writes any new result.
  ExitStop stop = patcher_.on_exit(t);
  if (stop.watched) {
    // A restart code is no result yet: the log, --stats and trace wait for the real one.
    const bool held = interrupted_.hold(t.tid, stop);
    if (!held) rewriter_.on_exit(t, stop);
    own_traps_.on_exit(t, stop);
    if (recorder_ && !held) recorder_->on_exit(t.tid, stop);
    patcher_.finish_exit(t, stop);
  }
  resume(t);
}

// A signal reaches a thread whose stub may be running (one_stop.h): the stub is finished in
// the registers first, so the kernel builds the handler's frame from the program's state. A
// fault of the stub itself (the program unmapped redirect's chunk) is not the program's and
// is dropped (`sig` = 0). False: the tracee died.
bool Tracer::on_stub_signal(Tracee& t, int& sig) {
  const Tracee::StubCall call = t.stub_call;
  long result = 0;
  const StubExit how = leave_stub(t, sig, result);
  stub_results_.at_signal(t, call, how, result);
  switch (how) {
    case StubExit::gone:
      return false;
    case StubExit::own_fault:
      ++stats_.stub_unwinds;
      scratch_.lost(t);
      sig = 0;
      return true;
    case StubExit::unwound:
    case StubExit::rewound:
      ++stats_.stub_unwinds;
      ScratchAreas::release(t);  // the stub will not run: the handler may use the slot
      return true;
    case StubExit::outside:
      if (!t.exit_planned()) ScratchAreas::release(t);
      return true;
  }
  return true;
}

// A signal reaches a thread whose watched call showed a restart code (interrupted_calls.h).
void Tracer::on_interrupted_signal(Tracee& t, int sig) {
  if (interrupted_.stepping(t.tid)) {
    bool swallow = false;
    finish_interrupted(t, interrupted_.after_step(t.tid, sig, swallow));
    return resume(t, swallow ? 0 : sig);  // the step's SIGTRAP is ours, not the program's
  }
  if (const ExitStop* held = interrupted_.held_stop(t.tid)) patcher_.restore_result_arg(t, *held);
  InterruptedCalls::Outcome o = interrupted_.on_signal(t.tid, sig);
  if (o.kind == InterruptedCalls::Outcome::Kind::step) {
    if (ptrace(PTRACE_SINGLESTEP, t.tid, nullptr, sig) != 0 && errno != ESRCH)
      throw fmt::system_error(errno, "pid {}: ptrace(PTRACE_SINGLESTEP)", t.tid);
    return;
  }
  finish_interrupted(t, o);
  resume(t, sig);
}

void Tracer::finish_interrupted(Tracee& t, const InterruptedCalls::Outcome& o) {
  using Kind = InterruptedCalls::Outcome::Kind;
  if (o.kind == Kind::restarted) rewriter_.on_call_restarted(t.tid, o.stop);
  if (o.kind != Kind::ended) return;
  ExitStop stop = o.stop;  // its registers are long settled: a policy's new result is not written
  rewriter_.on_exit(t, stop);
  if (recorder_) recorder_->on_exit(t.tid, stop);
}

void Tracer::on_exec(pid_t tid) {
  // A non-leader thread that execs takes the leader's tid; PTRACE_GETEVENTMSG gives the tid
  // it had. Its old state and the leader's are both stale.
  unsigned long former = 0;
  const bool moved =
      ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &former) == 0 && static_cast<pid_t>(former) != tid;
  // The execve succeeded: a rewritten one ends here, as the new image has no exit stop of it
  // in seccomp mode.
  if (moved) rewriter_.on_call_end(tid, std::nullopt);  // the old leader's, if it was in one
  rewriter_.on_call_end(moved ? static_cast<pid_t>(former) : tid, 0);
  if (recorder_) {
    recorder_->forget_name(tid);  // a new program runs as tid
    if (moved) recorder_->on_call_end(tid, std::nullopt);
    recorder_->on_call_end(moved ? static_cast<pid_t>(former) : tid, 0, tid);
    if (moved) recorder_->forget_name(static_cast<pid_t>(former));
  }
  if (moved) {
    if (Tracee* old = tracees_.find(static_cast<pid_t>(former))) ScratchAreas::release(*old);
    tracees_.erase(static_cast<pid_t>(former));
  }
  interrupted_.forget(tid);
  if (moved) interrupted_.forget(static_cast<pid_t>(former));
  io_.cwd_names().forget(tid);  // a thread that ran apart from the leader's fs may own it now
  if (moved) io_.cwd_names().forget(static_cast<pid_t>(former));
  Tracee& t = tracees_.get_or_add(tid);
  // The old image is gone: registers of a rewritten execve must not be "restored" into the
  // new one, so the exit stop is not needed (seccomp mode resumes with PTRACE_CONT). Its
  // scratch slot is free (a vfork parent still has the mapping), and the new image has none.
  t.exit_plan = ExitPlan{};
  // A stub call left here is the execve's own (with --stats execve is trapped, so an earlier
  // call's result was read at its entry), unless the leader was replaced: its call is lost.
  if (moved) stub_results_.lost(t);
  t.stub_call = {};
  ScratchAreas::release(t);
  t.space.reset();
  t.altstack_lo = t.altstack_hi = 0;  // execve drops the alternate signal stack
  t.in_syscall = options_.mode == Mode::ptrace;  // its execve's exit stop is still to come
  setid_.on_exec(tid);
  resume(t);
}

void Tracer::on_group_stop(pid_t tid, int sig) {
  // PTRACE_LISTEN keeps the tracee stopped until SIGCONT, as without a tracer, while we go on
  // receiving the other tracees' stops.
  if (ptrace(PTRACE_LISTEN, tid, nullptr, nullptr) != 0 && errno != ESRCH)
    throw fmt::system_error(errno, "pid {}: ptrace(PTRACE_LISTEN)", tid);
  // ^Z: the terminal stopped the whole job, redirect included in the shell's eyes.
  if (tid == first_child_ && signals_ && signals_->take_stop_request()) {
    if (options_.watcher)
      options_.watcher->stopped(sig);  // it stops in our place; we go on serving the others
    else
      SignalPolicy::stop_self(sig);
  }
}

void Tracer::resume(const Tracee& t, int sig) {
  resume(t.tid, options_.mode == Mode::ptrace || t.exit_planned(), sig);
}

void Tracer::resume(pid_t tid, bool syscall_stops, int sig) {
  auto request = syscall_stops ? PTRACE_SYSCALL : PTRACE_CONT;
  if (ptrace(request, tid, nullptr, sig) != 0 && errno != ESRCH)
    throw fmt::system_error(errno, "pid {}: ptrace({})", tid,
                            syscall_stops ? "PTRACE_SYSCALL" : "PTRACE_CONT");
}

}  // namespace redirect::engine
