// The in-process launcher: `redirect-inproc-exec [--argv0 NAME] [--] PROG ARGS...` (or with
// exec_variable, below) runs a static program inside its own process instead of exec'ing it,
// because Syscall User Dispatch does not survive an exec and a static program has no ld.so to
// load our runtime with LD_AUDIT. It checks and maps PROG (elf_image.h, elf_loader.h), makes what
// the program sees of itself as close to a real exec as an unprivileged process can (comm;
// /proc/self/exe only with CAP_SYS_RESOURCE, and even then the kernel refuses while the launcher's
// own file is still mapped), calls the arming hook, builds the initial stack (initial_stack.h)
// below the launcher's frames on the same [stack] mapping, and jumps to the entry point. The
// launcher's own pages stay mapped: the runtime armed by the hook lives in them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "inproc/launcher/elf_loader.h"

namespace redirect::inproc {

/// When this environment variable is set, the launcher loads the program it names and passes
/// its own argv on unchanged (argv[0] included) and its environment without the variable:
/// `execve(LAUNCHER, ARGV, ENV + REDIRECT_INPROC_EXEC=PROG)` then looks to the program, and
/// to /proc/PID/cmdline, like `execve(PROG, ARGV, ENV)`. The in-process runtime uses this form
/// to route an exec'd static program through the launcher.
inline constexpr const char* exec_variable = "REDIRECT_INPROC_EXEC";

/// What the arming hook is told about the program about to be entered.
struct LaunchedProgram {
  const char* path = nullptr;   // PROG as given (AT_EXECFN)
  std::span<char* const> argv;  // its argv, argv[0] included
  std::span<char* const> envp;  // its environment
  LoadedImage image;            // where it was mapped
};

/// Arms the in-process runtime for the program. Called last before the jump: after it returns
/// the launcher allocates nothing and makes no system call until the program's first
/// instruction. Returns nullopt when armed, else a sentence saying why not (the launcher then
/// exits 125 without running the program).
using ArmHook = std::optional<std::string> (*)(const LaunchedProgram& program);

/// Runs the launcher with main()'s arguments; `envp` must be main()'s own (the auxiliary
/// vector is found after it). Returns only on failure, with the exit status to use after it
/// printed one line naming PROG to stderr: 125 bad usage or arming failed, 126 PROG is not a
/// static executable this launcher can load (dynamic, truncated, overlapping...), 127 PROG
/// was not found.
[[nodiscard]] int launch(int argc, char** argv, char** envp, ArmHook arm);

}  // namespace redirect::inproc
