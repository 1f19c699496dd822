// clone(CLONE_VM) + PTRACE_SEIZE + filter + PATH search + execve (see spawn.h). Between clone
// and exec the child runs on its own mapped stack, makes raw syscalls only (errno is shared with
// the tracer) and reads a ChildPlan that the tracer keeps alive until the child is gone.
#include "engine/spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "engine/arch/native.h"
#include "engine/exec_search.h"
#include "engine/seccomp_filter.h"

namespace redirect::engine {

const long ptrace_options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK |
                            PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
                            PTRACE_O_EXITKILL;


// Everything the child reads between clone and exec, built by the tracer beforehand and kept
// (Spawned::plan) until the child has exec'd or exited.
struct ChildPlan {
  ChildPlan(char** argv_, std::span<const sock_filter> filter_, const SignalPolicy& signals_)
      : argv(argv_),
        filter(filter_),
        signals(&signals_),
        candidates(exec_candidates(argv_[0], std::getenv("PATH"))) {
    script_argv.push_back(const_cast<char*>("/bin/sh"));
    script_argv.push_back(nullptr);  // the candidate, filled in by the child
    for (char** a = argv_ + 1; *a; ++a) script_argv.push_back(*a);
    script_argv.push_back(nullptr);
    stack = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) throw fmt::system_error(errno, "mmap of the child's stack");
    // A guard page: an overflow faults instead of writing into the tracer's memory.
    mprotect(stack, kGuard, PROT_NONE);
  }
  ChildPlan(const ChildPlan&) = delete;
  ChildPlan& operator=(const ChildPlan&) = delete;
  ~ChildPlan() { munmap(stack, kStackSize); }

  // The child needs a few hundred bytes; a rewritten execve path may also be written below its
  // stack pointer (up to PATH_MAX plus the red zone), as on any tracee's stack.
  static constexpr std::size_t kStackSize = 64 * 1024, kGuard = 4096;
  void* stack_top() const { return static_cast<char*>(stack) + kStackSize; }

  char** argv;
  std::span<const sock_filter> filter;
  const SignalPolicy* signals;
  std::vector<std::string> candidates;  // execvp's PATH search, worked out in advance
  std::vector<char*> script_argv;       // /bin/sh, the candidate, argv[1..], nullptr
  int go_fd = -1, go_write_fd = -1, report_fd = -1, report_read_fd = -1;
  void* stack = MAP_FAILED;
};

namespace {

using arch::native::raw_syscall;

// The child's own functions are not instrumented by AddressSanitizer (make sanitize): before a
// noreturn call it would reset its idea of the stack, which here is a mapping it does not know
// (google/sanitizers#189), and warn on stderr.
#define REDIRECT_CHILD_CODE [[gnu::no_sanitize_address]]

struct Pipe {
  ScopedFd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw fmt::system_error(errno, "pipe2");
  return {ScopedFd(fds[0]), ScopedFd(fds[1])};
}

// The child's own exit status when it cannot become the program. Nobody reports it as the
// program's: the report pipe says what happened, and the tracer's outcome says so.
constexpr int child_failed = 127;

REDIRECT_CHILD_CODE [[noreturn]] void child_exit(int code) {
  for (;;) raw_syscall(SYS_exit_group, code);
}

REDIRECT_CHILD_CODE [[noreturn]] void child_report_and_exit(int fd, ChildReport::Stage stage,
                                                             int error, int code) {
  ChildReport r{stage, error};
  raw_syscall(SYS_write, fd, reinterpret_cast<long>(&r), sizeof r);
  child_exit(code);
}

// glibc's execvpe (posix/execvpe.c) over the candidates the tracer listed: see exec_search.h.
REDIRECT_CHILD_CODE [[noreturn]] void child_exec(ChildPlan& p) {
  const long envp = reinterpret_cast<long>(environ);
  int error = ENOENT;  // no candidate: an empty program name
  bool eacces = false, searched_all = true;
  for (const std::string& c : p.candidates) {
    long r = raw_syscall(SYS_execve, reinterpret_cast<long>(c.c_str()),
                         reinterpret_cast<long>(p.argv), envp);
    if (r == -ENOEXEC) {  // no #! line and no ELF header: a shell script
      p.script_argv[1] = const_cast<char*>(c.c_str());
      r = raw_syscall(SYS_execve, reinterpret_cast<long>(p.script_argv[0]),
                      reinterpret_cast<long>(p.script_argv.data()), envp);
    }
    error = static_cast<int>(-r);
    eacces = eacces || error == EACCES;
    if (!exec_search_goes_on(error)) {
      searched_all = false;
      break;
    }
  }
  if (searched_all && eacces) error = EACCES;
  child_report_and_exit(p.report_fd, ChildReport::Stage::exec, error, child_failed);
}

REDIRECT_CHILD_CODE int run_child(void* arg) {
  ChildPlan& p = *static_cast<ChildPlan*>(arg);
  // libc's sigaction and sigprocmask write errno only when they fail, and with these
  // arguments they cannot: no handler of the tracer's may run in here, sharing its memory.
  p.signals->restore_in_child();
  // Our copies of the tracer's ends: with them open, read() would never see EOF.
  raw_syscall(SYS_close, p.go_write_fd);
  raw_syscall(SYS_close, p.report_read_fd);
  char byte;
  long n;
  do n = raw_syscall(SYS_read, p.go_fd, reinterpret_cast<long>(&byte), 1);
  while (n == -EINTR);
  if (n != 1) child_exit(child_failed);  // the tracer could not seize us: it says why
  raw_syscall(SYS_close, p.go_fd);
  if (!p.filter.empty()) {
    if (int err = install_seccomp_program(p.filter); err != 0)
      child_report_and_exit(p.report_fd, ChildReport::Stage::filter, err, child_failed);
  }
  child_exec(p);
}

// valgrind runs clone(CLONE_VM) only for threads ("Unsupported clone() flags") and exits; under
// it (valgrind-clean.sh) the child is forked: same code, memory of its own.
pid_t start_child(ChildPlan& plan) {
  if (RUNNING_ON_VALGRIND) {
    pid_t pid = fork();
    if (pid == 0) run_child(&plan);
    return pid;
  }
  // No CLONE_VFORK: we must seize the child before it execs, while it waits for us.
  return clone(run_child, plan.stack_top(), CLONE_VM | SIGCHLD, &plan);
}

// Waits for a child that is about to end (it read EOF on `go`, or was killed) and reaps it,
// so that its plan can go away.
void reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
  }
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  reap(pid);
}

}  // namespace

Spawned::Spawned() = default;
Spawned::Spawned(Spawned&&) noexcept = default;
Spawned& Spawned::operator=(Spawned&&) noexcept = default;
Spawned::~Spawned() = default;

Spawned spawn_traced(char** argv, std::span<const sock_filter> filter, SignalPolicy& signals) {
  auto plan = std::make_unique<ChildPlan>(argv, filter, signals);
  Pipe go = make_pipe();
  Pipe report = make_pipe();
  plan->go_fd = go.read.get();
  plan->go_write_fd = go.write.get();
  plan->report_fd = report.write.get();
  plan->report_read_fd = report.read.get();
  signals.block_all();
  pid_t pid = start_child(*plan);
  int clone_errno = errno;
  if (pid > 0) signals.set_target(pid);
  signals.unblock();
  if (pid < 0) throw fmt::system_error(clone_errno, "clone");
  go.read.reset();
  report.write.reset();

  if (ptrace(PTRACE_SEIZE, pid, nullptr, ptrace_options) != 0) {
    int err = errno;
    go.write.reset();  // the child reads EOF and exits
    reap(pid);
    signals.set_target(0);
    throw TraceRefused{err};
  }
  // ptrace mode: stop the child now so that PTRACE_SYSCALL can follow it from its first
  // syscall; it is blocked in read() on `go`, which restarts after the stop.
  if (filter.empty() && ptrace(PTRACE_INTERRUPT, pid, nullptr, nullptr) != 0) {
    int err = errno;
    kill_and_reap(pid);
    throw fmt::system_error(err, "pid {}: ptrace(PTRACE_INTERRUPT)", pid);
  }
  char byte = 'g';
  if (write(go.write.get(), &byte, 1) != 1) {
    int err = errno;
    kill_and_reap(pid);
    throw fmt::system_error(err, "pid {}: write to the start pipe", pid);
  }
  Spawned out;
  out.pid = pid;
  out.report = std::move(report.read);
  out.plan = std::move(plan);
  return out;
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
