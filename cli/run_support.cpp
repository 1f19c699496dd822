// See run_support.h.
#include "cli/run_support.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/wait.h>

#include "cli/exit_status.h"
#include "engine/abi.h"

namespace redirect::cli {

std::vector<rules::Matcher> compile_for_every_abi(const std::vector<rules::RuleFile>& files,
                                                  rules::Diagnostics& diags) {
  // One Matcher per ABI, the host's own first, sharing one compilation of the patterns.
  constexpr auto arches = engine::audit_arches();
  if (diags.has_errors()) return {};
  return rules::Matcher::compile(files, arches, diags);
}

namespace {

// The TracerPid of /proc/self/status: who traces redirect itself; 0 for nobody (or unknown).
pid_t our_tracer() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (!f) return 0;
  char line[256];
  int pid = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "TracerPid: %d", &pid) == 1) break;
  std::fclose(f);
  return pid;
}

}  // namespace

void StderrNotices::say(std::string_view line) { fmt::print(stderr, "redirect: {}\n", line); }

int exit_status_for(const engine::RunOutcome& outcome, const char* program) {
  using Kind = engine::RunOutcome::Kind;
  switch (outcome.kind) {
    case Kind::exited:
      return outcome.value;
    case Kind::killed:
      return exit_signal_base + outcome.value;
    case Kind::not_found:
    case Kind::cannot_execute:
      fmt::print(stderr, "redirect: {}: {}\n", program, std::strerror(outcome.value));
      return outcome.kind == Kind::not_found ? exit_not_found : exit_cannot_execute;
    case Kind::trace_refused:
      if (pid_t tracer = our_tracer(); outcome.value == EPERM && tracer > 0) {
        // `strace -f redirect ...` attached to the program first: not Yama's doing.
        fmt::print(stderr,
                   "redirect: cannot trace: redirect is itself traced (by pid {}, e.g. `strace "
                   "-f` or a debugger following children), and a process can have only one "
                   "tracer, so redirect cannot trace its program. Trace redirect without "
                   "following children, or see the program's path syscalls with "
                   "`redirect --log -`\n",
                   tracer);
        return exit_tool_failed;
      }
      fmt::print(stderr, "redirect: cannot trace: ptrace(PTRACE_SEIZE) refused: {}{}\n",
                 std::strerror(outcome.value),
                 outcome.value == EPERM ? " (Yama ptrace_scope or a container profile?)" : "");
      return exit_tool_failed;
    case Kind::status_lost:
      fmt::print(stderr, "redirect: pid {}: lost track of the program's exit status\n",
                 outcome.value);
      return exit_tool_failed;
    case Kind::tracer_lost: {
      int raw = outcome.value;
      std::string how = WIFSIGNALED(raw) ? fmt::format("was killed by signal {}", WTERMSIG(raw))
                                         : fmt::format("exited with status {}", WEXITSTATUS(raw));
      fmt::print(stderr,
                 "redirect: the tracer {} without the program's status; whatever it traced "
                 "was killed with it\n",
                 how);
      return exit_tool_failed;
    }
  }
  return exit_tool_failed;
}


}  // namespace redirect::cli
