// StubResults (see stub_results.h). Cost with --stats: one 8-byte process_vm_readv per
// one-stop rewrite, at the thread's next stop; without, nothing (the stub's store of the
// result register is one instruction in the tracee, the same with or without --stats).
#include "engine/stub_results.h"

#include <cstring>

#include "engine/arch/native.h"

namespace redirect::engine {

ExitStop StubResults::exit_stop(const Tracee& t, std::optional<long> result) {
  ExitStop stop;
  stop.watched = true;
  stop.have_result = result.has_value();
  stop.result = result.value_or(0);
  // What the rewriter noted at the entry (the rules' ids) is still the thread's: a one-stop
  // rewrite plans no exit, and no other entry of the thread has come since.
  stop.plan = t.exit_plan;
  // Stubs exist only for the host's own ABI (scratch_area.cpp makes them for no other).
  stop.plan.personality = &arch::native::personalities[0];
  stop.plan.by_stub = true;
  return stop;
}

void StubResults::ended(const Tracee& t, long result) {
  ExitStop stop = exit_stop(t, result);
  rewriter_.on_exit(t, stop);
}

void StubResults::restarted(const Tracee& t) {
  rewriter_.on_call_restarted(t.tid, exit_stop(t, std::nullopt));
}

void StubResults::at_syscall(const Tracee& t) {
  if (on_) read_stored(t, t.stub_call);
}

void StubResults::read_stored(const Tracee& t, const Tracee::StubCall& call) {
  if (call.stub == 0) return;
  std::uint64_t word = 0;
  char bytes[sizeof word];
  const RemotePtr at{call.header + 8 * arch::ReturnStub::result_word};
  if (!io_.read_bytes(t.tid, at, std::span(bytes, sizeof bytes))) {
    lost(call);  // the program unmapped redirect's chunk (where mseal is missing)
    return;
  }
  std::memcpy(&word, bytes, sizeof word);
  if (word == arch::ReturnStub::no_result) return restarted(t);
  ended(t, static_cast<long>(word));
}

void StubResults::at_signal(const Tracee& t, const Tracee::StubCall& call, StubExit how,
                            long result) {
  if (!on_ || call.stub == 0) return;
  switch (how) {
    case StubExit::unwound:
      // A restart code: whether the call runs again is decided as the signal is delivered.
      if (interrupted_.hold(t.tid, exit_stop(t, result))) return;
      return ended(t, result);
    case StubExit::rewound:
      return restarted(t);
    case StubExit::outside:
      return read_stored(t, call);  // the stub is done, or its restart path is
    case StubExit::own_fault:
      return lost(call);
    case StubExit::gone:
      return;
  }
}

void StubResults::lost(const Tracee::StubCall& call) {
  if (on_ && call.stub != 0) ++stats_.one_stop_unseen;
}

}  // namespace redirect::engine
