// Running the tracer apart from the process the caller waits for, so that `redirect` returns
// when the program does while what the program left running (a daemon, a `cmd &` of a script)
// stays traced until the last of it exits. The process that called run_apart() forks the
// tracer and then only waits: for the program's outcome, sent over a pipe when the program
// ends, and for job-control stops to mirror; signals sent to it go to the tracer, which sends
// them on to the program. The tracer is the caller's child rather than the other way round
// because Yama's ptrace_scope=1 lets a process trace its descendants only: the tracer must be
// the program's parent, and the caller's process must stay the one the caller waits for.
// Lifetimes: until the program ends, the tracer dies with the waiting process
// (PR_SET_PDEATHSIG), so SIGKILL to `redirect` still kills everything through
// PTRACE_O_EXITKILL; once the program has ended, the tracer lets go of the caller (its
// stdin/stdout/stderr, other inherited fds, working directory, session) and lives on alone.
#pragma once

#include <sys/types.h>

#include <functional>
#include <span>
#include <vector>

#include "engine/tracer.h"

namespace redirect::engine {

/// The tracer's end of the pipe to the waiting process. Tell the Tracer about it
/// (TracerOptions::watcher); after run() returns, call finish().
class WaiterLink final : public ProgramWatcher {
 public:
  /// `fd`: the pipe's write end (owned). `keep`: fds that stay open after the program's end
  /// (the --log file; 2 when stderr must stay, for `--log -` and --stats). Records which fds
  /// the tracer inherited from the caller, to close them at the program's end: call before
  /// the tracer opens anything.
  WaiterLink(int fd, std::span<const int> keep);
  ~WaiterLink() override;
  WaiterLink(const WaiterLink&) = delete;
  WaiterLink& operator=(const WaiterLink&) = delete;

  void started() override;
  void stopped(int sig) override;
  /// Lets go of the caller (see the file comment), then sends the outcome: the waiting process
  /// returns it. Only the first call of ended() and finish() does anything.
  void ended(const RunOutcome& outcome) override;
  /// At the end of the run, just before the tracer exits: sends the outcome unless ended()
  /// did, and then the waiting process reaps the tracer before it returns.
  void finish(const RunOutcome& outcome);

 private:
  void hand_over(const RunOutcome& outcome, bool last);
  void send(int kind, int a, int b, bool last);
  void let_go_of_caller();
  int fd_;
  std::vector<int> keep_;
  std::vector<int> inherited_;  // the caller's fds, closed at the program's end
  bool sent_ = false;
};

/// Forks the tracer, which runs `tracer_main(link)` and exits with what it returns; it never
/// returns here. The calling process forwards the signals it gets to the tracer (signals.h),
/// stops when the program stops for job control, and returns the program's outcome as soon as
/// the tracer sends it, leaving the tracer running. When the tracer ends without sending one
/// (it failed, or was killed), returns {tracer_lost, its wait status}; never hangs for that.
/// Throws fmt::system_error when pipe2 or fork fail.
[[nodiscard]] RunOutcome run_apart(const std::function<int(WaiterLink&)>& tracer_main,
                                   std::span<const int> keep);

}  // namespace redirect::engine
