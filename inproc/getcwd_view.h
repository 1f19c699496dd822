// getcwd in the program's view, in-process: after a chdir a prefix rule redirected, the kernel
// names the working directory inside the rule's replacement, and the program would see a path
// it never asked for. The handler makes getcwd itself and reads the answer back with the
// ptrace engine's rule step (rules/cwd_view.h), then writes it into the program's buffer with
// the new length, ERANGE when it does not fit (as the kernel says). A file that says
// `getcwd = "bundle"` has no rule read back, and getcwd then runs in place like any other call.
#pragma once

#include "inproc/path_rewrite.h"
#include "inproc/runtime.h"

namespace redirect::inproc {

/// Whether getcwd must come to the handler (some prefix rule reads it back).
[[nodiscard]] bool reads_getcwd_back(const Runtime& rt);

/// Makes `call` (getcwd) and returns what the program gets: the length of the name with its
/// NUL in the program's buffer, or -errno (the kernel's own errors unchanged; -ERANGE when the
/// program's view does not fit where the host path did).
[[nodiscard]] long getcwd_in_view(const Runtime& rt, const CallArgs& call);

}  // namespace redirect::inproc
