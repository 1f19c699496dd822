// The waiting process and the tracer's link to it (see run_apart.h). The pipe carries
// fixed-size messages, each written with one write(2) of less than PIPE_BUF bytes, so none is
// ever torn; its end of file tells the waiting process that the tracer is gone.
#include "engine/run_apart.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "engine/signals.h"

namespace redirect::engine {
namespace {

enum Kind : int { started_msg = 1, stopped_msg, ended_msg };

struct Message {
  int kind = 0;
  int a = 0;     // stopped: the signal; ended: RunOutcome::Kind
  int b = 0;     // ended: RunOutcome::value
  int last = 0;  // ended: the tracer exits now (nothing was left running): reap it
};

// The fds open now, but for `except`.
std::vector<int> open_fds(std::span<const int> except) {
  std::vector<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return fds;  // no /proc: nothing is closed at the program's end (said in the docs)
  while (const dirent* e = readdir(d)) {
    char* end = nullptr;
    long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd == dirfd(d)) continue;
    if (std::find(except.begin(), except.end(), fd) == except.end())
      fds.push_back(static_cast<int>(fd));
  }
  closedir(d);
  return fds;
}

// Moves `fd` above stderr: started with stdin or stdout closed, pipe2 would hand out 0 or 1,
// which the program must not see open and the tracer turns into /dev/null.
int above_stdio(int fd) {
  if (fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int err = errno;
  close(fd);
  if (moved < 0) throw fmt::system_error(err, "fcntl(F_DUPFD_CLOEXEC)");
  return moved;
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The waiting process: messages until the outcome or the end of file.
RunOutcome wait_for_outcome(int fd, pid_t tracer, SignalPolicy& signals) {
  for (;;) {
    Message m;
    ssize_t n = read(fd, &m, sizeof m);
    if (n < 0 && errno == EINTR) continue;
    if (n == static_cast<ssize_t>(sizeof m)) {
      switch (m.kind) {
        case started_msg:
          signals.set_target(tracer);
          signals.deliver_pending();
          continue;
        case stopped_msg:
          if (signals.take_stop_request()) SignalPolicy::stop_self(m.a);
          continue;
        case ended_msg:
          if (m.last) {
            // Reaped here rather than left to init: redirect leaves no process behind when
            // the program left nothing running.
            int status;
            while (waitpid(tracer, &status, 0) < 0 && errno == EINTR) {
            }
          }
          return {static_cast<RunOutcome::Kind>(m.a), m.b};
        default:
          break;
      }
    }
    // End of file (or a broken message): the tracer is gone without the program's outcome.
    signals.set_target(-1);
    int status = 0;
    while (waitpid(tracer, &status, 0) < 0 && errno == EINTR) {
    }
    return {RunOutcome::Kind::tracer_lost, status};
  }
}

}  // namespace

WaiterLink::WaiterLink(int fd, std::span<const int> keep) : fd_(fd), keep_(keep.begin(), keep.end()) {
  std::vector<int> except = keep_;
  except.push_back(fd_);
  inherited_ = open_fds(except);
}

WaiterLink::~WaiterLink() {
  if (fd_ >= 0) close(fd_);
}

void WaiterLink::send(int kind, int a, int b, bool last) {
  if (fd_ < 0) return;
  Message m{kind, a, b, last ? 1 : 0};
  ssize_t n;
  do n = write(fd_, &m, sizeof m);
  while (n < 0 && errno == EINTR);
  // EPIPE: the waiting process is gone (it was killed); we were killed with it unless the
  // program had ended already. Nobody is left to tell. This is not an error.
}

void WaiterLink::started() { send(started_msg, 0, 0, false); }

void WaiterLink::stopped(int sig) { send(stopped_msg, sig, 0, false); }

void WaiterLink::ended(const RunOutcome& outcome) { hand_over(outcome, false); }

void WaiterLink::finish(const RunOutcome& outcome) { hand_over(outcome, true); }

void WaiterLink::hand_over(const RunOutcome& outcome, bool last) {
  if (sent_) return;
  sent_ = true;
  // First: a waiting process that exits must not take us with it any more.
  prctl(PR_SET_PDEATHSIG, 0);
  let_go_of_caller();
  send(ended_msg, static_cast<int>(outcome.kind), outcome.value, last);
  close(fd_);
  fd_ = -1;
}

void WaiterLink::let_go_of_caller() {
  // stdin, stdout and stderr become /dev/null rather than closed, so that no file we open later
  // takes their numbers (and a stray write of ours lands nowhere, not in someone's file).
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int std_fd = 0; std_fd <= 2; ++std_fd)
    if (null >= 0 && !contains(keep_, std_fd)) dup2(null, std_fd);
  if (null > 2) close(null);
  for (int fd : inherited_)
    if (fd > 2) close(fd);
  inherited_.clear();
  if (chdir("/") != 0) {
    // "/" always exists; nothing to do if it cannot be entered.
  }
  setsid();  // EPERM only for a group leader, which a forked child is not
}

RunOutcome run_apart(const std::function<int(WaiterLink&)>& tracer_main,
                     std::span<const int> keep) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw fmt::system_error(errno, "pipe2");
  fds[0] = above_stdio(fds[0]);
  fds[1] = above_stdio(fds[1]);
  // Signals wait until the waiting process has its handlers, and the tracer starts with the
  // dispositions we inherited (it hands them on to the program).
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  const pid_t waiter = getpid();
  const pid_t tracer = fork();
  if (tracer < 0) {
    int err = errno;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    close(fds[0]);
    close(fds[1]);
    throw fmt::system_error(err, "fork of the tracer");
  }
  if (tracer == 0) {
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != waiter) _exit(1);  // the waiting process died already: nobody to serve
    sigprocmask(SIG_SETMASK, &old, nullptr);
    int status;
    {
      WaiterLink link(fds[1], keep);
      status = tracer_main(link);
    }
    std::fflush(nullptr);
    _exit(status);
  }
  close(fds[1]);
  RunOutcome outcome;
  {
    SignalPolicy signals;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    outcome = wait_for_outcome(fds[0], tracer, signals);
    sigprocmask(SIG_SETMASK, &all, nullptr);  // no handler may run while they are taken down
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  close(fds[0]);
  return outcome;
}

}  // namespace redirect::engine
