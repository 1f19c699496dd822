// The in-process backend's side of `redirect` (see inproc_backend.h).
#include "cli/inproc_backend.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <elf.h>
#include <fmt/format.h>

#include "cli/exit_status.h"
#include "cli/inproc_static.h"
#include "engine/exec_search.h"
#include "inproc/arm.h"

#ifndef REDIRECT_INPROC_LIBDIR
#define REDIRECT_INPROC_LIBDIR "lib/redirect"
#endif

namespace redirect::cli {
namespace {

constexpr const char* kLibraryName = "libredirect-inproc.so";

// Where the library is: $REDIRECT_INPROC_LIBRARY, else next to redirect, else the install
// path BINDIR/../LIBDIR/redirect. `looked` lists the paths tried.
std::optional<std::string> find_library(std::vector<std::string>& looked) {
  if (const char* over = std::getenv("REDIRECT_INPROC_LIBRARY")) {
    looked.push_back(over);
    if (::access(over, R_OK) == 0) return std::filesystem::absolute(over).string();
    return std::nullopt;
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (const std::filesystem::path& p :
       {self.parent_path() / kLibraryName,
        self.parent_path().parent_path() / REDIRECT_INPROC_LIBDIR / kLibraryName}) {
    looked.push_back(p.lexically_normal().string());
    if (::access(p.c_str(), R_OK) == 0) return p.lexically_normal().string();
  }
  return std::nullopt;
}

// redirect's stderr, on a descriptor PROG inherits, for the library's notices.
void keep_notice_fd(inproc::Config& c) {
  int fd = ::fcntl(STDERR_FILENO, F_DUPFD, 200);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) return;
  c.notice_fd = fd;
  c.notice_dev = st.st_dev;
  c.notice_ino = st.st_ino;
}

}  // namespace

rules::EnvLookup RecordingEnv::lookup() {
  return [this](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    const char* v = std::getenv(key.c_str());
    std::optional<std::string> value = v ? std::optional<std::string>(v) : std::nullopt;
    bool known = false;
    for (const auto& [n, _] : seen_) known |= n == key;
    if (!known) seen_.emplace_back(key, value);
    return value;
  };
}

std::string inproc_support_line() {
#ifdef REDIRECT_INPROC
  return "--backend inproc: x86_64 programs, Linux >= 5.11 (Syscall User Dispatch); "
         "static programs through redirect-inproc-exec";
#elif defined(REDIRECT_INPROC_SANITIZED)
  return "--backend inproc: not in this build (a sanitizer build)";
#else
  return "--backend inproc: not available on this architecture (x86_64 only)";
#endif
}

std::optional<std::string> inproc_unsupported() {
#if !defined(REDIRECT_INPROC) && defined(REDIRECT_INPROC_SANITIZED)
  return "--backend inproc is not in this build: a sanitizer build has none (its runtime would "
         "have to be loaded first into every program the library enters)";
#elif !defined(REDIRECT_INPROC)
  return "--backend inproc needs x86_64 (Syscall User Dispatch and our syscall gadget are "
         "x86_64's); this redirect was built for another architecture";
#else
  // A child arms dispatch with nothing allowed: its next call (exit) must die of SIGSYS.
  pid_t pid = ::fork();
  if (pid < 0) return fmt::format("fork: {}", std::strerror(errno));
  if (pid == 0) {
    // Not dumpable: its death by SIGSYS must not write (or pipe) a core dump, which cost
    // tens of milliseconds per run.
    ::prctl(PR_SET_DUMPABLE, 0);
    static volatile char block = 1;
    if (::prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1, 0, 0, &block) != 0) ::_exit(errno);
    ::syscall(SYS_exit, 0);
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) return std::nullopt;
  return fmt::format("--backend inproc needs Syscall User Dispatch (Linux >= 5.11 on x86_64), "
                     "which this kernel refuses ({})",
                     WIFEXITED(status) ? std::strerror(WEXITSTATUS(status)) : "no SIGSYS");
#endif
}

bool can_trace_children() {
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    ::pause();
    ::_exit(0);
  }
  const bool ok = ::ptrace(PTRACE_SEIZE, pid, nullptr, nullptr) == 0;
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return ok;
}

int exec_inproc(const std::vector<std::string>& rule_paths, const RecordingEnv& env,
                std::vector<std::string>& command, RecordTo record) {
  if (std::optional<std::string> why = inproc_unsupported()) {
    fmt::print(stderr, "redirect: {}\n", *why);
    return exit_tool_failed;
  }
  inproc::Config config;
  std::vector<std::string> looked;
  std::optional<std::string> library = find_library(looked);
  if (!library) {
    fmt::print(stderr, "redirect: --backend inproc: {} not found (looked for {}; set "
                       "REDIRECT_INPROC_LIBRARY to its path)\n",
               kLibraryName, fmt::join(looked, ", "));
    return exit_tool_failed;
  }
  config.library = *library;
  for (const std::string& p : rule_paths)
    config.rule_files.push_back(std::filesystem::absolute(p).lexically_normal().string());
  config.env = env.seen();
  std::vector<std::string> launcher_looked;
  if (auto launcher = find_launcher(config.library, launcher_looked)) config.launcher = *launcher;
  std::optional<std::string> static_path;
  for (const std::string& c : engine::exec_candidates(command.front(), std::getenv("PATH")))
    if (::access(c.c_str(), X_OK) == 0) {
      if (is_static_program(c)) static_path = c;
      break;
    }
  if (static_path)
    if (auto refusal = launcher_refusal(*static_path, config.launcher, launcher_looked)) {
      fmt::print(stderr, "redirect: {}\n", *refusal);
      return exit_tool_failed;
    }
  keep_notice_fd(config);
  if (struct stat st; record.fd >= 0 && ::fstat(record.fd, &st) == 0) {
    config.record_fd = record.fd;
    config.record_dev = st.st_dev;
    config.record_ino = st.st_ino;
  }
  config.dry_run = record.dry_run;
  config.trace = record.trace;
  config.host_write_root = record.host_write_root;
  ::setenv("LD_AUDIT", config.library.c_str(), 1);
  ::setenv(std::string(inproc::kConfigVariable).c_str(), inproc::encode_config(config).c_str(), 1);
  if (static_path) return exec_launcher(config.launcher, *static_path, command);
  std::vector<char*> argv;
  for (std::string& w : command) argv.push_back(w.data());
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  const int err = errno;
  fmt::print(stderr, "redirect: cannot run {}: {}\n", command.front(), std::strerror(err));
  return err == ENOENT ? exit_not_found : exit_cannot_execute;
}

}  // namespace redirect::cli
