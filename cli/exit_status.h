// The exit statuses redirect itself can end with, in one place. They follow the conventions of
// env(1), nohup(1) and shells: the program's own status passes through untouched; the codes
// below are used only when the program could not run or redirect failed.
#pragma once

namespace redirect {

enum ExitStatus : int {
  exit_ok = 0,
  exit_lint_failed = 1,      // `redirect lint`: some file has an error
  exit_tool_failed = 125,    // redirect itself failed: bad usage, bad rules, ptrace refused
  exit_cannot_execute = 126, // PROG exists but could not be executed
  exit_not_found = 127,      // PROG was not found
  exit_signal_base = 128,    // + N when signal N killed the program
};

}  // namespace redirect
