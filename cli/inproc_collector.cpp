// run_inproc_collected (see inproc_collector.h). The wait is a poll on the record socket and a
// signalfd for SIGCHLD; records are read first, so that what the program sent before it ended
// is all logged before its status is taken.
#include "cli/inproc_collector.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "cli/exit_status.h"
#include "cli/inproc_records.h"
#include "cli/run_support.h"
#include "engine/scoped_fd.h"
#include "engine/signals.h"
#include "inproc/call_record.h"

namespace redirect::cli {
namespace {

// The largest record: the header and every string at its longest.
constexpr std::size_t kMaxRecord = sizeof(inproc::RecordHeader) + inproc::kRecordStrings * PATH_MAX;

// Reads one record into `collector`. False at the end of the stream (every sender closed it)
// or on an error other than EINTR/EAGAIN.
bool read_record(int fd, std::vector<char>& buffer, RecordCollector& collector, bool wait) {
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), wait ? 0 : MSG_DONTWAIT);
    if (n > 0) {
      collector.receive(std::span(buffer.data(), static_cast<std::size_t>(n)));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// The program's wait status once it has ended; mirrors a job-control stop on the way, as a
// ptrace run does (signals.h). nullopt: it still runs.
std::optional<int> reap(pid_t pid, engine::SignalPolicy& signals) {
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG | WUNTRACED);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return r < 0 ? std::optional<int>(status) : std::nullopt;
    if (WIFSTOPPED(status)) {
      if (signals.take_stop_request()) engine::SignalPolicy::stop_self(WSTOPSIG(status));
      continue;
    }
    return status;
  }
}

engine::RunOutcome outcome_of(int status) {
  if (WIFSIGNALED(status)) return {engine::RunOutcome::Kind::killed, WTERMSIG(status)};
  return {engine::RunOutcome::Kind::exited, WEXITSTATUS(status)};
}

// The processes holding socket inode `ino` (but this one), as "name[pid]", from /proc/PID/fd.
std::vector<std::string> holders_of(ino_t ino) {
  std::vector<std::string> out;
  const std::string link = fmt::format("socket:[{}]", ino);
  const pid_t self = ::getpid();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::ranges::all_of(name, [](unsigned char c) { return std::isdigit(c) != 0; }))
      continue;
    if (std::atoi(name.c_str()) == self) continue;
    bool holds = false;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(entry.path() / "fd", fd_ec)) {
      std::error_code read_ec;
      if (std::filesystem::read_symlink(fd.path(), read_ec).string() == link) {
        holds = true;
        break;
      }
    }
    if (!holds) continue;
    std::ifstream status(entry.path() / "status");
    std::string line, comm;
    while (std::getline(status, line))
      if (line.starts_with("Name:\t")) comm = line.substr(6);
    out.push_back(fmt::format("{}[{}]", comm, name));
  }
  return out;
}

// wait_all: after the program's end, collects until every holder of the program's end of the
// socket (inode `theirs`) has closed it, or an end signal kills them.
CollectionEnd collect_the_rest(int sock, ino_t theirs, engine::SignalPolicy& signals,
                               RecordCollector& collector) {
  std::vector<char> buffer(kMaxRecord);
  signals.end_on_signal();
  CollectionEnd end;
  for (;;) {
    if (const int sig = signals.take_end_request()) {
      end.end_signal = sig;
      end.left = holders_of(theirs);
      for (const std::string& p : end.left)
        if (const pid_t pid = std::atoi(p.c_str() + p.rfind('[') + 1); pid > 0) ::kill(pid, SIGKILL);
      while (read_record(sock, buffer, collector, false)) {
      }
      return end;
    }
    pollfd fd{sock, POLLIN, 0};
    if (::poll(&fd, 1, 1000) < 0 && errno != EINTR) return end;
    if ((fd.revents & POLLIN) && read_record(sock, buffer, collector, false)) continue;
    if (fd.revents & (POLLIN | POLLHUP | POLLERR)) return end;  // every sender closed it
  }
}

// Collects until the program has ended; returns its wait status.
int collect(int sock, int sigchld, pid_t pid, engine::SignalPolicy& signals,
            RecordCollector& collector) {
  std::vector<char> buffer(kMaxRecord);
  pollfd fds[2] = {{sock, POLLIN, 0}, {sigchld, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, 1000) < 0 && errno != EINTR) break;
    // Records first: what the program sent before it ended comes before its end.
    if ((fds[0].revents & POLLIN) && read_record(sock, buffer, collector, false)) continue;
    // Every sender closed its end: nothing more will come, though the program may still run.
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) fds[0].fd = -1;
    signalfd_siginfo info;
    while (::read(sigchld, &info, sizeof info) > 0) {
    }
    if (std::optional<int> status = reap(pid, signals)) {
      while (read_record(sock, buffer, collector, false)) {
      }
      return *status;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

int run_inproc_collected(const CollectedRun& run, std::vector<std::string>& command,
                         engine::Stats& stats, engine::Notices& notices) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    fmt::print(stderr, "redirect: socketpair(AF_UNIX, SOCK_SEQPACKET): {}\n", std::strerror(errno));
    return exit_tool_failed;
  }
  engine::ScopedFd ours(pair[0]);
  // The program's end: not close-on-exec, high, so that every program it execs has it.
  const int theirs = ::fcntl(pair[1], F_DUPFD, 200);
  ::close(pair[1]);
  struct stat their_socket {};
  if (theirs < 0 || ::fstat(theirs, &their_socket) != 0) {
    fmt::print(stderr, "redirect: fcntl(F_DUPFD, 200): {}\n", std::strerror(errno));
    return exit_tool_failed;
  }
  sigset_t mask;
  ::sigprocmask(SIG_SETMASK, nullptr, &mask);
  engine::SignalPolicy signals;
  signals.block_all();
  const pid_t pid = ::fork();
  if (pid == 0) {
    signals.restore_in_child();
    ::close(ours.get());
    ::_exit(exec_inproc(*run.rule_paths, *run.env, command,
                        {theirs, run.dry_run, run.trace, run.host_write_root}));
  }
  const int fork_error = errno;
  ::close(theirs);
  // SIGCHLD stays blocked, for the signalfd; the rest as before.
  sigaddset(&mask, SIGCHLD);
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);
  if (pid < 0) {
    fmt::print(stderr, "redirect: fork: {}\n", std::strerror(fork_error));
    return exit_tool_failed;
  }
  signals.set_target(pid);
  signals.deliver_pending();
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  engine::ScopedFd sigchld(::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK));
  RecordCollector collector(*run.rules, run.dry_run, run.log, stats, notices, run.sink);
  const int status = collect(ours.get(), sigchld.get(), pid, signals, collector);
  signals.set_target(-1);
  sigdelset(&mask, SIGCHLD);
  ::sigprocmask(SIG_SETMASK, &mask, nullptr);
  CollectionEnd end;
  if (run.wait_all)
    end = collect_the_rest(ours.get(), their_socket.st_ino, signals, collector);
  else if (run.watch)
    end.left = holders_of(their_socket.st_ino);
  collector.finish();
  const engine::RunOutcome outcome = outcome_of(status);
  if (run.watch && !run.watch->ended(outcome, end)) return exit_tool_failed;
  return exit_status_for(outcome, command.front().c_str());
}

}  // namespace redirect::cli
