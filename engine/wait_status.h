// A waitpid() status of a PTRACE_SEIZEd tracee, classified once into the kinds of stop the
// tracer handles (rr src/WaitStatus.h). The surprises, from ptrace(2): with PTRACE_SEIZE a
// group-stop arrives as PTRACE_EVENT_STOP carrying the stop signal, while PTRACE_EVENT_STOP
// with SIGTRAP is the first stop of an auto-attached child (or a PTRACE_INTERRUPT/LISTEN
// notification) and must simply be resumed; syscall stops are SIGTRAP|0x80 thanks to
// PTRACE_O_TRACESYSGOOD, so a real SIGTRAP is never mistaken for one.
#pragma once

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

namespace redirect::engine {

class WaitStatus {
 public:
  enum class Kind {
    exited,        ///< exit_code()
    killed,        ///< by signal()
    syscall_stop,  ///< syscall entry or exit (PTRACE_SYSCALL)
    seccomp_stop,  ///< SECCOMP_RET_TRACE: the entry of a trapped syscall
    clone_event,   ///< fork, vfork or clone: PTRACE_GETEVENTMSG has the new tid
    exec_event,    ///< execve succeeded: PTRACE_GETEVENTMSG has the former tid
    group_stop,    ///< job control stop by signal(): PTRACE_LISTEN
    trap_stop,     ///< PTRACE_EVENT_STOP that is not a group-stop (attach, listen wake-up)
    signal_stop,   ///< signal-delivery stop: re-inject signal()
    other_event,   ///< any other PTRACE_EVENT_* (vfork-done...): resume
  };

  constexpr explicit WaitStatus(int raw) : raw_(raw) {}

  [[nodiscard]] constexpr Kind kind() const {
    if (WIFEXITED(raw_)) return Kind::exited;
    if (WIFSIGNALED(raw_)) return Kind::killed;
    int sig = WSTOPSIG(raw_);
    switch (event()) {
      case 0:
        return sig == (SIGTRAP | 0x80) ? Kind::syscall_stop : Kind::signal_stop;
      case PTRACE_EVENT_SECCOMP:
        return Kind::seccomp_stop;
      case PTRACE_EVENT_FORK:
      case PTRACE_EVENT_VFORK:
      case PTRACE_EVENT_CLONE:
        return Kind::clone_event;
      case PTRACE_EVENT_EXEC:
        return Kind::exec_event;
      case PTRACE_EVENT_STOP:
        return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU
                   ? Kind::group_stop
                   : Kind::trap_stop;
      default:
        return Kind::other_event;
    }
  }

  /// The PTRACE_EVENT_* of a stop, 0 for none.
  [[nodiscard]] constexpr int event() const { return WIFSTOPPED(raw_) ? (raw_ >> 16) & 0xff : 0; }
  [[nodiscard]] constexpr int exit_code() const { return WEXITSTATUS(raw_); }
  /// killed: the fatal signal; stops: the stop signal.
  [[nodiscard]] constexpr int signal() const {
    return WIFSIGNALED(raw_) ? WTERMSIG(raw_) : WSTOPSIG(raw_);
  }
  [[nodiscard]] constexpr int raw() const { return raw_; }

 private:
  int raw_;
};

}  // namespace redirect::engine
