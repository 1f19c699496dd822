// Calls a signal interrupted, between the exit stop that shows the kernel's restart code and
// the moment their real outcome is known, so that the log, --stats and trace report the result
// the program sees, not the kernel's intermediate -512. The surprise that shapes it: at the
// exit stop of an interrupted call the result register holds ERESTARTSYS (512),
// ERESTARTNOINTR (513), ERESTARTNOHAND (514) or ERESTART_RESTARTBLOCK (516), none of which a
// program ever sees: once the signal is dealt with, the kernel either runs the call again (the
// `syscall` instruction re-executed from the restored registers, so a fresh entry stop, in
// seccomp and ptrace mode alike, where the rules decide it anew) or turns the code into EINTR.
// Which one, the kernel decides when it delivers the signal (arch/x86/kernel/signal.c
// handle_signal): a handler makes NOHAND and RESTARTBLOCK EINTR, NOINTR restarts, and
// ERESTARTSYS restarts only if the handler has SA_RESTART; no handler (ignored, default
// action, a stop) restarts all four. A tracer can see whether a handler is installed
// (/proc/TID/status SigCgt) but not its SA_RESTART flag; for ERESTARTSYS with a handler the
// tracee is single-stepped into the handler (PTRACE_SINGLESTEP from the signal-delivery stop:
// the kernel sets up the signal frame, then reports SIGTRAP before the handler's first
// instruction, kernel/signal.c signal_delivered) and the outcome is read from the frame
// (its layout per ABI in engine/arch/), whose saved result register holds -EINTR or, for a
// restart, what the call needs to run again (x86: its number; aarch64: its first argument).
#pragma once

#include <sys/types.h>

#include <optional>
#include <unordered_map>

#include "engine/exit_plan.h"

namespace redirect::engine {

/// Whether `result` is one of the kernel's restart codes, which no program ever sees.
[[nodiscard]] constexpr bool is_restart_code(long result) {
  return result == -512 || result == -513 || result == -514 || result == -516;
}

class InterruptedCalls {
 public:
  /// What became of a held call.
  struct Outcome {
    enum class Kind : std::uint8_t {
      pending,    ///< not known yet: resume as usual
      step,       ///< resume with PTRACE_SINGLESTEP (and the signal) to find out
      restarted,  ///< the call runs again: drop what was held (its entry decides anew)
      ended,      ///< the call is over: `stop` carries the result the program sees
    };
    Kind kind = Kind::pending;
    ExitStop stop;
  };

  /// At a watched exit stop: true (and the call is held) when its result is a restart code.
  bool hold(pid_t tid, const ExitStop& stop);

  /// Whether a call of `tid` is held.
  [[nodiscard]] bool holds(pid_t tid) const { return held_.contains(tid); }

  /// At a signal-delivery stop of `tid` with `sig` (which is about to be delivered).
  Outcome on_signal(pid_t tid, int sig);

  /// At a stop of `tid` after on_signal() said `step`: the SIGTRAP of the single step
  /// (`sig` = SIGTRAP) tells the outcome; any other stop (the frame could not be written)
  /// ends the call with an unknown result. `swallow`: the stop was the step's own SIGTRAP,
  /// which must not reach the program.
  Outcome after_step(pid_t tid, int sig, bool& swallow);

  /// Whether on_signal() asked for a single step of `tid` whose stop has not come yet.
  [[nodiscard]] bool stepping(pid_t tid) const {
    auto it = held_.find(tid);
    return it != held_.end() && it->second.stepping;
  }

  /// `tid` entered a syscall while a call was held: the held one was restarted (without a
  /// signal stop, or after a signal with no handler). Returns the held call's exit stop (now
  /// dropped), nullopt when none was held.
  std::optional<ExitStop> on_entry(pid_t tid) {
    if (held_.empty()) return std::nullopt;  // every entry stop asks: no hashing while none is held
    auto node = held_.extract(tid);
    if (node.empty()) return std::nullopt;
    return node.mapped().stop;
  }

  /// The exit stop of the call `tid` holds (null when none is held).
  [[nodiscard]] const ExitStop* held_stop(pid_t tid) const {
    auto it = held_.find(tid);
    return it == held_.end() ? nullptr : &it->second.stop;
  }

  /// `tid` is gone or ended its call otherwise: forget it.
  void forget(pid_t tid) { held_.erase(tid); }

 private:
  struct Held {
    ExitStop stop;
    bool stepping = false;
  };
  Outcome end(pid_t tid, std::optional<long> result);
  std::unordered_map<pid_t, Held> held_;
};

}  // namespace redirect::engine
