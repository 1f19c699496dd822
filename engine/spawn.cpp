// fork + PTRACE_SEIZE + filter + execvp (see spawn.h). Between fork and exec the child only
// makes async-signal-safe calls and allocates nothing: the BPF program was built before fork.
#include "engine/spawn.h"

#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "engine/exit_status.h"
#include "engine/seccomp_filter.h"

namespace redirect::engine {

const long ptrace_options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
                            PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
                            PTRACE_O_EXITKILL;

ScopedFd& ScopedFd::operator=(ScopedFd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = o.release();
  }
  return *this;
}
ScopedFd::~ScopedFd() { reset(); }
void ScopedFd::reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

namespace {

struct Pipe {
  ScopedFd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw fmt::system_error(errno, "redirect: pipe2");
  return {ScopedFd(fds[0]), ScopedFd(fds[1])};
}

[[noreturn]] void child_report_and_exit(int fd, ChildReport::Stage stage, int error, int code) {
  ChildReport r{stage, error};
  ssize_t ignored = write(fd, &r, sizeof r);
  (void)ignored;
  _exit(code);
}

[[noreturn]] void run_child(char** argv, std::span<const sock_filter> filter,
                            const SignalPolicy& signals, Pipe& go, Pipe& report) {
  signals.restore_in_child();
  // Our copies of the tracer's ends: with them open, read() would never see EOF.
  close(go.write.release());
  close(report.read.release());
  int go_fd = go.read.get(), report_fd = report.write.get();
  char byte;
  ssize_t n;
  do n = read(go_fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) _exit(exit_tool_failed);  // the tracer could not seize us: it says why
  close(go_fd);
  if (!filter.empty()) {
    if (int err = install_seccomp_program(filter); err != 0)
      child_report_and_exit(report_fd, ChildReport::Stage::filter, err, exit_tool_failed);
  }
  execvp(argv[0], argv);
  child_report_and_exit(report_fd, ChildReport::Stage::exec, errno, exit_not_found);
}

}  // namespace

Spawned spawn_traced(char** argv, std::span<const sock_filter> filter, SignalPolicy& signals) {
  Pipe go = make_pipe();
  Pipe report = make_pipe();
  signals.block_all();
  pid_t pid = fork();
  if (pid == 0) run_child(argv, filter, signals, go, report);
  int fork_errno = errno;
  if (pid > 0) signals.set_target(pid);
  signals.unblock();
  if (pid < 0) throw fmt::system_error(fork_errno, "redirect: fork");
  go.read.reset();
  report.write.reset();

  if (ptrace(PTRACE_SEIZE, pid, nullptr, ptrace_options) != 0) {
    int err = errno;
    go.write.reset();  // the child reads EOF and exits
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    signals.set_target(0);
    throw TraceRefused{err};
  }
  // ptrace mode: stop the child now so that PTRACE_SYSCALL can follow it from its first
  // syscall; it is blocked in read() on `go`, which restarts after the stop.
  if (filter.empty() && ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) != 0)
    throw fmt::system_error(errno, "pid {}: ptrace(PTRACE_INTERRUPT)", pid);
  char byte = 'g';
  if (write(go.write.get(), &byte, 1) != 1)
    throw fmt::system_error(errno, "pid {}: write to the start pipe", pid);
  return {pid, std::move(report.read)};
}

ChildReport read_child_report(const ScopedFd& fd) {
  ChildReport r;
  ssize_t n;
  do n = read(fd.get(), &r, sizeof r);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof r)) return {};
  return r;
}

}  // namespace redirect::engine
