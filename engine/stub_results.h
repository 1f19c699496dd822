// The results of one-stop rewrites, for --stats. A rewrite that returns through its slot's stub
// (one_stop.h) has no exit stop, so the tracer never sees its result in the registers; instead
// the stub's normal path stores the result register into the slot's header, over a value no
// syscall returns that the tracer wrote there at the entry (arch.h ReturnStub::no_result), and
// the tracer reads that word at the thread's next stop, when --stats asks for results. The
// surprise it relies on: until that stop the slot stays the thread's (nothing else writes its
// header), and the stub's restart path does not store, so a word still holding no_result at a
// later syscall stop means the call was restarted (the cgroup freezer, a stop and continue)
// and runs again: what its first entry counted is taken back, as for a two-stop rewrite. At a
// signal-delivery stop the stub is unwound in the registers (leave_stub), which shows the
// result register directly; a restart code there is held like a two-stop call's
// (interrupted_calls.h) until the signal's delivery says whether the call runs again. A
// thread that ends or execs before any stop of its own takes its result with it: counted as
// not seen (the filter traps exit, exit_group, execve and execveat under --stats so that this
// is left to threads killed by another's exit or by a signal).
#pragma once

#include <cstdint>
#include <optional>

#include "engine/interrupted_calls.h"
#include "engine/log.h"
#include "engine/one_stop.h"
#include "engine/rewriter.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"

namespace redirect::engine {

class StubResults {
 public:
  /// `on`: --stats reads results (else every call here does nothing). `io`, `rewriter`,
  /// `interrupted` and `stats` must outlive it.
  StubResults(bool on, TraceeIo& io, Rewriter& rewriter, InterruptedCalls& interrupted,
              Stats& stats)
      : on_(on), io_(io), rewriter_(rewriter), interrupted_(interrupted), stats_(stats) {}

  [[nodiscard]] bool on() const { return on_; }

  /// At a syscall stop of `t` whose last rewrite returned through its stub
  /// (t.stub_call.stub != 0, not yet cleared): reads the stored result and reports the call
  /// ended, or restarted when the stub's normal path never ran.
  void at_syscall(const Tracee& t);
  /// At a signal-delivery stop of `t`, after leave_stub() took `call` (t's stub call before
  /// it) and said `how` (with `result` for StubExit::unwound): reports the call ended,
  /// restarted, or held while a restart code waits for the signal's delivery. Call before the
  /// stop is handed to InterruptedCalls.
  void at_signal(const Tracee& t, const Tracee::StubCall& call, StubExit how, long result);
  /// `t` ends or execs with a stub call whose result was never read (t.stub_call.stub != 0).
  void lost(const Tracee& t) { lost(t.stub_call); }

 private:
  void read_stored(const Tracee& t, const Tracee::StubCall& call);
  void lost(const Tracee::StubCall& call);
  // The call's exit as a two-stop rewrite's exit stop would show it.
  [[nodiscard]] static ExitStop exit_stop(const Tracee& t, std::optional<long> result);
  void ended(const Tracee& t, long result);
  void restarted(const Tracee& t);

  bool on_;
  TraceeIo& io_;
  Rewriter& rewriter_;
  InterruptedCalls& interrupted_;
  Stats& stats_;
};

}  // namespace redirect::engine
