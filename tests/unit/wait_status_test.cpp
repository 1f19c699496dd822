// WaitStatus classification of raw statuses as the kernel builds them (ptrace(2)).
#include <doctest/doctest.h>

#include "engine/wait_status.h"

using redirect::engine::WaitStatus;
using Kind = WaitStatus::Kind;

namespace {
constexpr int stopped(int sig, int event = 0) { return 0x7f | (sig << 8) | (event << 16); }
}  // namespace

TEST_CASE("wait status: exits, deaths and every stop kind") {
  CHECK(WaitStatus(3 << 8).kind() == Kind::exited);
  CHECK(WaitStatus(3 << 8).exit_code() == 3);
  CHECK(WaitStatus(SIGKILL).kind() == Kind::killed);
  CHECK(WaitStatus(SIGSEGV | 0x80).signal() == SIGSEGV);  // core dumped
  CHECK(WaitStatus(stopped(SIGTRAP | 0x80)).kind() == Kind::syscall_stop);
  CHECK(WaitStatus(stopped(SIGTRAP)).kind() == Kind::signal_stop);  // a real SIGTRAP
  CHECK(WaitStatus(stopped(SIGINT)).kind() == Kind::signal_stop);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_SECCOMP)).kind() == Kind::seccomp_stop);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_FORK)).kind() == Kind::clone_event);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_VFORK)).kind() == Kind::clone_event);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_CLONE)).kind() == Kind::clone_event);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_EXEC)).kind() == Kind::exec_event);
  CHECK(WaitStatus(stopped(SIGTSTP, PTRACE_EVENT_STOP)).kind() == Kind::group_stop);
  CHECK(WaitStatus(stopped(SIGSTOP, PTRACE_EVENT_STOP)).kind() == Kind::group_stop);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_STOP)).kind() == Kind::trap_stop);
  CHECK(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_VFORK_DONE)).kind() == Kind::other_event);
}
