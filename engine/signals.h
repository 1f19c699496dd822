// What redirect does with signals sent to itself, so that the program sees them as it would
// natively and redirect ends with the program's status. The surprise it relies on: a signal
// the terminal sends (^C, ^\, ^Z, hangup, window size) goes to the whole foreground process
// group, so the program receives it directly, and it arrives with si_code SI_KERNEL, while a
// signal another process sends to redirect's pid alone arrives with SI_USER. Choices:
// - terminal signals are left to the program (redirect neither dies on ^C nor forwards it
//   a second time); redirect exits when the program does, with its status;
// - SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH and the stop signals sent to
//   redirect by a process are forwarded to the program (the first child), as `timeout` and
//   init shims do; a kill of the whole group reaches the program twice: documented, rare;
// - ^Z: when the program enters a job-control stop after redirect itself got a stop signal,
//   redirect stops too, so the shell sees the job stopped; `fg`/`bg` continue both. A program
//   stopped by a signal sent to it alone (kill -STOP PID) stops alone, as it would natively;
// - such a signal arriving while redirect starts, before the program exists, is sent to the
//   program as soon as it is traced, so an early ^C is not lost;
// - SIGCONT is not forwarded (fg/bg send it to the group); SIGKILL kills every tracee through
//   PTRACE_O_EXITKILL; SIGPIPE is ignored (a closed --log pipe must not kill the tracer);
// - once the program has ended, the signals above are dropped: a tracer run apart that outlives
//   redirect (run_apart.h) must not die of a service manager's SIGTERM to every process of a
//   service before the leftovers it traces have shut down, which EXITKILL would cut short;
// - unless asked (end_on_signal(), `trace --wait-all`): then SIGHUP, SIGINT and SIGTERM,
//   from a terminal or not, ask the tracer to end the trace (take_end_request());
// - run apart, the process the caller waits for forwards to the tracer, which forwards to the
//   program, and mirrors ^Z when the tracer reports the program stopped.
// The child restores every disposition redirect inherited before it execs the program.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>

namespace redirect::engine {

class SignalPolicy {
 public:
  /// Installs redirect's handlers; the destructor puts the inherited dispositions back.
  SignalPolicy();
  ~SignalPolicy();
  SignalPolicy(const SignalPolicy&) = delete;
  SignalPolicy& operator=(const SignalPolicy&) = delete;

  /// Where forwarded signals go (the first child); 0 = nowhere yet (a signal waits for
  /// deliver_pending), -1 = nowhere any more (the program has ended: signals are dropped).
  void set_target(pid_t pid);
  /// Once the program has ended: SIGHUP, SIGINT and SIGTERM no longer get dropped but
  /// recorded for take_end_request(), and interrupt the tracer's wait (no SA_RESTART).
  void end_on_signal();
  /// The end signal received since the last call (0: none); clears it.
  [[nodiscard]] static int take_end_request();
  /// Sends the program a signal that reached redirect before the program existed (a ^C
  /// during start-up); call once it is traced.
  void deliver_pending();
  /// In the child, before exec: the inherited dispositions and signal mask. Async-signal-safe,
  /// and leaves errno alone (spawn's CLONE_VM child shares it with the tracer).
  void restore_in_child() const noexcept;
  /// Whether redirect received a job-control stop signal since the last call (clears it).
  [[nodiscard]] bool take_stop_request();
  /// Stops redirect itself with `sig` (default action) until it is continued.
  static void stop_self(int sig);

  /// Blocks every signal (around the spawn, so no handler runs in the child); unblock() undoes it.
  void block_all();
  void unblock();

 private:
  static constexpr std::array<int, 12> handled_{SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM,
                                                SIGUSR1, SIGUSR2, SIGWINCH, SIGTSTP,
                                                SIGTTIN, SIGTTOU, SIGPIPE,  SIGCHLD};
  std::array<struct sigaction, handled_.size()> old_{};
  sigset_t old_mask_{};
  sigset_t blocked_mask_{};
};

}  // namespace redirect::engine
