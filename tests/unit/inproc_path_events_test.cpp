// Tests of cli/inproc_path_events.cpp: the in-process runtime's records of `redirect trace`
// become the PathEvents a ptrace trace makes: the path arguments only (a symlink's target is
// none), the open flags and result carried, an exec's event complete when its new program
// arms (named after it) or its exec fails, the program's own exec made from what redirect
// exec'd, and an exec whose outcome never came handed over with no result.
#include "cli/inproc_path_events.h"

#include <asm/unistd_64.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/audit.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <cstring>
#include <string>
#include <vector>

#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

struct Seen final : engine::PathObserver {
  void on_path_event(const engine::PathEvent& e) override { events.push_back(e); }
  std::vector<engine::PathEvent> events;
};

struct Arg {
  unsigned arg;
  std::string passed, resolved;
};

// A decoded record of call `nr` by thread `tid` of process `pid` named `comm`, with `args`
// left alone by the rules.
cli::DecodedRecord record(inproc::RecordKind kind, int nr, pid_t tid, pid_t pid,
                          const char* comm, const std::vector<Arg>& args, long result = 0) {
  cli::DecodedRecord r;
  r.header = inproc::blank_header();
  r.header.kind = kind;
  r.header.nr = nr;
  r.header.tid = tid;
  r.header.pid = pid;
  r.header.result = result;
  std::memcpy(r.header.comm, comm, std::min(std::strlen(comm), sizeof r.header.comm));
  r.header.arg_count = static_cast<std::uint8_t>(args.size());
  static std::deque<std::string> keep;  // the decision's strings point into these (never moved)
  for (std::size_t k = 0; k < args.size(); ++k) {
    engine::ArgDecision& a = r.decision.args[k];
    a.arg = static_cast<std::uint8_t>(args[k].arg);
    keep.push_back(args[k].passed);
    a.value.passed = keep.back();
    keep.push_back(args[k].resolved);
    a.value.resolved = keep.back();
  }
  r.decision.arg_count = args.size();
  return r;
}

}  // namespace

TEST_CASE("inproc path events: a call keeps its paths, flags and result; a link target is none") {
  rules::Diagnostics diags;
  auto files = test::parse("", diags);
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  REQUIRE(m.has_value());
  Seen seen;
  cli::RecordedPathEvents events(*m, seen, false, std::nullopt);
  cli::DecodedRecord open = record(inproc::RecordKind::call, __NR_openat, 7, 0, "app",
                                   {{1, "x.db", "/d/x.db"}}, -ENOENT);
  open.header.open_flags = O_RDWR | O_CREAT;
  events.receive(open);
  // symlink(target, linkpath): argument 0 is the link's text, not a file the call reaches.
  events.receive(record(inproc::RecordKind::call, __NR_symlink, 7, 0, "app",
                        {{0, "t", "/d/t"}, {1, "l", "/d/l"}}, 0));
  // A call outside %file and %exec (one a whole-call rule decided) is not traced.
  events.receive(record(inproc::RecordKind::call, __NR_io_uring_setup, 7, 0, "app", {}, 0));
  REQUIRE(seen.events.size() == 2);
  const engine::PathEvent& e = seen.events[0];
  CHECK(e.tid == 7);
  CHECK(e.program == "app");
  CHECK(e.syscall == "openat");
  CHECK(e.open_flags == (O_RDWR | O_CREAT));
  CHECK(e.result == -ENOENT);
  REQUIRE(e.args.size() == 1);
  CHECK(e.args[0].passed == "x.db");
  CHECK(e.args[0].resolved == "/d/x.db");
  REQUIRE(seen.events[1].args.size() == 1);
  CHECK(seen.events[1].args[0].passed == "l");
}

TEST_CASE("inproc path events: execs end when the new program arms or the exec fails") {
  rules::Diagnostics diags;
  auto files = test::parse("", diags);
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  REQUIRE(m.has_value());
  Seen seen;
  cli::RecordedPathEvents events(*m, seen, false, cli::FirstExec{"/usr/bin/sh", "/usr/bin/sh"});
  CHECK_FALSE(events.started());
  events.receive(record(inproc::RecordKind::armed, 0, 100, 100, "sh", {}));
  CHECK(events.started());
  events.receive(record(inproc::RecordKind::exec, __NR_execve, 101, 101, "sh",
                        {{0, "/usr/bin/cat", "/usr/bin/cat"}}));
  events.receive(record(inproc::RecordKind::exec, __NR_execve, 102, 102, "sh",
                        {{0, "/nope", "/nope"}}));
  events.receive(record(inproc::RecordKind::exec, __NR_execve, 103, 103, "sh",
                        {{0, "/usr/bin/su", "/usr/bin/su"}}));
  events.receive(record(inproc::RecordKind::exec_failed, __NR_execve, 102, 0, "sh", {}, -ENOENT));
  events.receive(record(inproc::RecordKind::armed, 0, 101, 101, "cat", {}));
  events.finish();
  REQUIRE(seen.events.size() == 4);
  CHECK(seen.events[0].syscall == "execve");  // redirect's own exec of the program
  CHECK(seen.events[0].program == "sh");
  CHECK(seen.events[0].args[0].passed == "/usr/bin/sh");
  CHECK(seen.events[0].result == 0);
  CHECK(seen.events[1].args[0].passed == "/nope");
  CHECK(seen.events[1].result == -ENOENT);
  CHECK(seen.events[2].args[0].passed == "/usr/bin/cat");
  CHECK(seen.events[2].program == "cat");  // the program it started, as under ptrace
  CHECK(seen.events[2].result == 0);
  CHECK(seen.events[3].args[0].passed == "/usr/bin/su");
  CHECK_FALSE(seen.events[3].result.has_value());  // never armed: unknown
}
