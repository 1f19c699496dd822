// The tracer: start the program, then one waitpid(-1, __WALL) loop over every thread of every
// descendant until none is left, in rounds (every status ready, then each handled, so none
// waits behind newer tracees), dispatching each stop (wait_status.h) to the Rewriter or to
// the bookkeeping of forks, execs, signals and job control. The surprise that shapes the
// loop: stops of different tracees arrive in any order (a new child's first stop may precede
// its parent's fork event), so every handler works from the tid alone and never waits for a
// particular tracee.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <span>
#include <vector>

#include "engine/interrupted_calls.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/own_traps.h"
#include "engine/path_recorder.h"
#include "engine/rewriter.h"
#include "engine/scratch_area.h"
#include "engine/setid_check.h"
#include "engine/syscall_patch.h"
#include "engine/cpu_sharing.h"
#include "engine/tracee_io.h"
#include "engine/signals.h"
#include "engine/spawn.h"
#include "engine/stub_results.h"
#include "engine/tracee.h"
#include "rules/matcher.h"

namespace redirect::engine {

enum class Mode : std::uint8_t {
  seccomp,  ///< stop only at the syscalls the rules name (the default)
  ptrace,   ///< PTRACE_SYSCALL: stop at every syscall entry and exit
};

/// How a run ended, for the CLI to turn into an exit status and a message.
struct RunOutcome {
  enum class Kind : std::uint8_t {
    exited,          ///< the program exited: `value` is its status
    killed,          ///< a signal killed the program: `value` is the signal
    not_found,       ///< the program could not be found: `value` is the errno (ENOENT)
    cannot_execute,  ///< it exists but execve failed: `value` is the errno
    trace_refused,   ///< PTRACE_SEIZE failed: `value` is the errno
    status_lost,     ///< every tracee is gone and the program's status never came (a bug)
    tracer_lost,     ///< run_apart: the tracer ended without sending one: `value` is its raw
                     ///< wait status (the program died with it, PTRACE_O_EXITKILL)
  };
  Kind kind = Kind::status_lost;
  int value = 0;
};

/// Who waits for the program when that is not the tracer's own caller (run_apart.h): told
/// when the program has started, stopped for job control and ended, so that it can mirror
/// them while the tracer goes on with whatever the program left behind.
class ProgramWatcher {
 public:
  virtual ~ProgramWatcher() = default;
  /// The program is traced: signals sent to the tracer now reach it. May come again if the
  /// seccomp filter was refused and the program is started a second time.
  virtual void started() = 0;
  /// The program entered a job-control stop with `sig` after the tracer itself got a stop
  /// signal (^Z): the watcher stops in its place, so that the shell sees the job stopped.
  virtual void stopped(int sig) = 0;
  /// The program has ended while other tracees remain; run() goes on until they are gone and
  /// then returns the same outcome. Not called when the program was the last tracee.
  virtual void ended(const RunOutcome& outcome) = 0;
  /// With TracerOptions::end_on_signal, after ended(): SIGINT, SIGTERM or SIGHUP (`sig`)
  /// reached the tracer. The watcher ends what is left (run() goes on until it is gone).
  virtual void end_requested(int sig) { (void)sig; }
};

struct TracerOptions {
  Mode mode = Mode::seccomp;
  bool verbose = false;  ///< info lines on stderr (filter, fallback)
  /// Read the result of every rewritten call (Stats::rule_failed); always done with a log.
  bool read_results = false;
  /// trace: every path syscall (%file, %exec) is trapped, rules or not, and handed complete,
  /// with its result, to this observer (which must outlive the Tracer). Null: a plain run.
  PathObserver* observer = nullptr;
  /// trace --no-host-writes: with `observer`, may fail a call no rule denied (path_events.h).
  PathVeto* veto = nullptr;
  Rewriter::Options rewrite;
  /// Rewrite in one stop where the ABI and the scratch mapping allow it (one_stop.h); false:
  /// every rewrite stops at its entry and its exit, as with a log or trace, which read every
  /// result there anyway.
  bool one_stop = true;
  /// Null: run() itself stops on ^Z, and the caller learns the program's end from run().
  ProgramWatcher* watcher = nullptr;
  /// Once the program has ended, SIGINT, SIGTERM and SIGHUP go to watcher->end_requested()
  /// instead of being dropped (signals.h).
  bool end_on_signal = false;
};

class Tracer {
 public:
  /// `matchers`: one per ABI (the host's first); they, `log` (may be null) and `notices` must
  /// outlive it.
  Tracer(std::span<const rules::Matcher* const> matchers, TracerOptions options, DecisionLog* log,
         Stats& stats, Notices& notices);

  /// Runs `argv` (argv[0] looked up in PATH) under the rules until every tracee has exited, and
  /// says how the program ended (the watcher, if any, learns it earlier when other tracees
  /// outlive the program). Throws fmt::system_error when one of our own syscalls fails
  /// unexpectedly.
  [[nodiscard]] RunOutcome run(char** argv);

 private:
  void loop();
  [[nodiscard]] bool wait_for_round();
  void on_stop(pid_t tid, int raw_status);
  void on_syscall_entry(Tracee& t, bool seccomp_stop);
  void on_syscall_exit(Tracee& t);
  void on_interrupted_signal(Tracee& t, int sig);
  [[nodiscard]] bool on_stub_signal(Tracee& t, int& sig);
  void finish_interrupted(Tracee& t, const InterruptedCalls::Outcome& o);
  bool foreign_seccomp_stop(Tracee& t);
  void on_clone(pid_t tid, int event);
  void on_exec(pid_t tid);
  void on_group_stop(pid_t tid, int sig);
  void on_program_exit(int raw_status);
  [[nodiscard]] RunOutcome program_outcome() const;
  void resume(const Tracee& t, int sig = 0);
  void resume(pid_t tid, bool syscall_stops, int sig);

  std::span<const rules::Matcher* const> matchers_;
  TracerOptions options_;
  Stats& stats_;
  Notices& notices_;
  CpuSharing sharing_;
  PtraceIo io_;
  ScratchAreas scratch_;
  SyscallPatcher patcher_;
  OwnTraps own_traps_;
  Rewriter rewriter_;
  std::optional<PathRecorder> recorder_;  // trace only
  InterruptedCalls interrupted_;  // watched calls whose exit showed a restart code
  StubResults stub_results_;      // --stats: the results of one-stop rewrites
  SetIdCheck setid_;
  TraceeTable tracees_;
  std::deque<std::pair<pid_t, int>> round_;  // statuses waited for, not yet handled (tid, raw)
  SignalPolicy* signals_ = nullptr;  // set while run() is active
  Spawned child_;  // the program as started (its report pipe is read when it exits)
  pid_t first_child_ = -1;
  int first_status_ = -1;  // raw wait status of the first child, -1 until it exits
  ChildReport report_;     // what the first child said before exec, read when it exits
};

}  // namespace redirect::engine
