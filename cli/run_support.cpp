// See run_support.h.
#include "cli/run_support.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/exit_status.h"
#include "engine/arch/native.h"

namespace redirect::cli {

std::vector<rules::Matcher> compile_for_every_abi(const std::vector<rules::RuleFile>& files,
                                                  rules::Diagnostics& diags) {
  std::vector<rules::Matcher> matchers;
  for (const arch::Personality& p : arch::native::personalities) {
    if (diags.has_errors()) break;
    if (auto m = rules::Matcher::compile(files, p.audit_arch, diags))
      matchers.push_back(std::move(*m));
  }
  if (diags.has_errors()) matchers.clear();
  return matchers;
}

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
      fmt::print(stderr, "redirect: cannot trace: ptrace(PTRACE_SEIZE) refused: {}{}\n",
                 std::strerror(outcome.value),
                 outcome.value == EPERM ? " (Yama ptrace_scope or a container profile?)" : "");
      return exit_tool_failed;
    case Kind::status_lost:
      fmt::print(stderr, "redirect: pid {}: lost track of the program's exit status\n",
                 outcome.value);
      return exit_tool_failed;
  }
  return exit_tool_failed;
}

}  // namespace redirect::cli
