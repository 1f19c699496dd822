// The engine side of `redirect trace`: for every path syscall (%file and the exec family) it
// starts a PathEvent at entry, makes sure the call's exit stop comes and its result is read,
// and hands the complete event to a PathObserver. The arguments and the rules' decisions come
// from the entry stage's EntryDecision (the Rewriter reads every path argument of a call this
// class records); this class owns the events in flight, one per thread, and the program name of
// each thread. The surprise: a denied call never runs,
// so its event is complete at entry, and an execve that succeeds has no exit stop of its own
// in seccomp mode: the exec event ends it with result 0 (and its program name is then the
// program it started, read again).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <unordered_map>

#include "engine/entry_decision.h"
#include "engine/path_events.h"
#include "engine/regs.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"

namespace redirect::engine {

class PathRecorder {
 public:
  /// `observer` and `io` must outlive it.
  /// `veto` (may be null: trace --no-host-writes) must outlive it too.
  PathRecorder(PathObserver& observer, TraceeIo& io, bool dry_run, PathVeto* veto = nullptr)
      : observer_(observer), io_(io), dry_run_(dry_run), veto_(veto) {}

  /// Whether the call at entry `e` is one trace records (a %file or %exec syscall).
  [[nodiscard]] static bool records(const SyscallEntry& e);

  /// After the entry stage decided and patched call `e` of `t` as `d`: starts its event (tid,
  /// program, syscall, open flags, every path argument read, the rules' decisions), hands it
  /// over now when its result is already known (a call failed at entry), else asks for the
  /// exit stop and its result (`patcher`). A call that runs is first shown to the veto, if
  /// any, which may fail it (`seccomp_stop`: how it stopped, for SyscallPatcher::fail).
  /// Throws as SyscallPatcher does.
  void entered(Tracee& t, const SyscallEntry& e, const EntryDecision& d,
               SyscallPatcher& patcher, bool seccomp_stop = true);

  /// At a watched exit stop of `tid`.
  void on_exit(pid_t tid, const ExitStop& stop);

  /// `tid`'s call ended without an exit stop: an execve that succeeded (0; the thread is now
  /// `now`, the leader's tid when another thread made the call) or the thread died (nullopt).
  /// Nothing when no call of `tid` is in flight.
  void on_call_end(pid_t tid, std::optional<long> result, pid_t now = 0);

  /// `tid` runs a new program (after exec) or is gone: its name is read again at its next call.
  void forget_name(pid_t tid) { names_.erase(tid); }

 private:
  const std::string& name_of(pid_t tid);
  void hand_over(pid_t tid);

  PathObserver& observer_;
  TraceeIo& io_;
  bool dry_run_;
  PathVeto* veto_;
  // Until the first execve succeeds, the calls are redirect's own (spawn's search of PATH for
  // PROG, in the child before it becomes PROG): not the program's, so not reported.
  bool program_started_ = false;
  std::unordered_map<pid_t, PathEvent> open_;
  std::unordered_map<pid_t, std::string> names_;
};

/// A path argument's event entry from the rules' decision on it: the same for a ptrace stop
/// and an in-process record.
[[nodiscard]] PathEventArg path_event_arg(const ArgDecision& a);

}  // namespace redirect::engine
