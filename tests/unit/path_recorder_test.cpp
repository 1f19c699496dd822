// PathRecorder: which calls become events, when an event is handed over (at once for a denied
// call, at the exit stop, at the exec of an execve), and that redirect's own PATH search before
// the program starts is not reported. A fake TraceeIo stands in for the tracee.
#include "engine/path_recorder.h"
#include "engine/scratch_area.h"

#include <fcntl.h>

#include <cerrno>
#include <doctest/doctest.h>
#include <vector>

#include "engine/arch/native.h"
#include "rules/syscall_table.h"

using namespace redirect;

namespace {

class FakeIo final : public engine::TraceeIo {
 public:
  engine::StringRead read_string(pid_t, engine::RemotePtr, std::span<char>) override { return {}; }
  bool read_bytes(pid_t, engine::RemotePtr, std::span<char>) override { return false; }
  int write(pid_t, std::span<const engine::RemoteWrite>) override { return 0; }
  int apply(pid_t, const engine::RegPatch&) override { return 0; }
  int read_result(pid_t, const arch::Personality&, long& out) override {
    out = result;
    return 0;
  }
  engine::DirName name_directory(pid_t, std::optional<int>, std::span<char>) override { return {}; }
  bool fd_is_directory(pid_t, int) override { return true; }
  bool shares_our_root(pid_t) override { return true; }
  long result = 0;
};

class Events final : public engine::PathObserver {
 public:
  void on_path_event(const engine::PathEvent& e) override { seen.push_back(e); }
  std::vector<engine::PathEvent> seen;
};

engine::SyscallEntry entry(rules::Sys s, std::uint64_t arg2 = 0) {
  engine::SyscallEntry e;
  e.personality = &arch::native::personalities[0];
  e.audit_arch = e.personality->audit_arch;
  e.nr = *rules::syscall_number(s, e.audit_arch);
  e.args[2] = e.raw_args[2] = arg2;
  return e;
}

// Starts the program: its execve succeeds (ended by the exec event).
void start(engine::PathRecorder& r, engine::Tracee& t, engine::SyscallPatcher& patcher) {
  REQUIRE(engine::PathRecorder::records(entry(rules::Sys::execve)));
  r.entered(t, entry(rules::Sys::execve), {}, patcher);
  t.exit_plan = engine::ExitPlan{};  // the exec event drops it
  r.on_call_end(t.tid, 0);
}

}  // namespace

TEST_CASE("path_recorder: path calls become events, completed at their exit stop") {
  FakeIo io;
  Events events;
  engine::Stats stats;
  engine::ScratchAreas scratch(stats, nullptr);
  engine::SyscallPatcher patcher(io, scratch, stats, true);
  engine::PathRecorder r(events, io, false);
  engine::Tracee t;
  t.tid = 4242;
  start(r, t, patcher);
  REQUIRE(events.seen.size() == 1);
  CHECK(events.seen[0].syscall == "execve");

  CHECK_FALSE(engine::PathRecorder::records(entry(rules::Sys::getpid)));  // not a path call
  REQUIRE(engine::PathRecorder::records(entry(rules::Sys::openat)));
  r.entered(t, entry(rules::Sys::openat, O_RDWR | O_CREAT), {}, patcher);
  CHECK(t.exit_planned());  // the exit stop is asked for
  CHECK(t.exit_plan.want_result);
  io.result = -ENOENT;
  engine::ExitStop stop = patcher.on_exit(t);
  r.on_exit(t.tid, stop);
  REQUIRE(events.seen.size() == 2);
  CHECK(events.seen[1].syscall == "openat");
  CHECK(events.seen[1].open_flags == static_cast<std::uint64_t>(O_RDWR | O_CREAT));
  CHECK(events.seen[1].result == -ENOENT);

  SUBCASE("a denied call is complete at entry") {
    engine::EntryDecision denied;
    denied.applied = engine::Applied::failed;
    denied.fail_errno = EACCES;
    r.entered(t, entry(rules::Sys::openat), denied, patcher);
    CHECK_FALSE(t.exit_planned());
    REQUIRE(events.seen.size() == 3);
    CHECK(events.seen[2].result == -EACCES);
  }
  SUBCASE("a thread that dies in a call ends it with an unknown result") {
    r.entered(t, entry(rules::Sys::openat), {}, patcher);
    r.on_call_end(t.tid, std::nullopt);
    REQUIRE(events.seen.size() == 3);
    CHECK_FALSE(events.seen[2].result.has_value());
  }
}

TEST_CASE("path_recorder: redirect's own PATH search before the program starts is not reported") {
  FakeIo io;
  Events events;
  engine::Stats stats;
  engine::ScratchAreas scratch(stats, nullptr);
  engine::SyscallPatcher patcher(io, scratch, stats, true);
  engine::PathRecorder r(events, io, false);
  engine::Tracee t;
  t.tid = 4242;
  r.entered(t, entry(rules::Sys::execve), {}, patcher);
  io.result = -ENOENT;
  r.on_exit(t.tid, patcher.on_exit(t));
  CHECK(events.seen.empty());
  start(r, t, patcher);
  CHECK(events.seen.size() == 1);
}
