// Starting the program under tracing. The child waits on a pipe until the tracer has
// PTRACE_SEIZEd it, then installs the seccomp filter (only now: a trapped syscall with no
// tracer attached fails with ENOSYS) and execs the program, searching PATH as execvp() does.
// The child is a clone(CLONE_VM) on a stack of its own, not a fork: on a VM, fork()'s copy of
// the tracer's page tables, torn down again by the exec, cost ~1.2 ms per start (bench W0).
// Sharing memory means the child must not allocate and must not write errno (it shares the
// tracer's thread-local storage too): it makes raw syscalls only, from a plan the tracer built.
// What went wrong in the child (filter refused, exec failed) comes back through a close-on-exec
// pipe that the tracer reads when the child exits, never while it runs, so the tracer never
// blocks on a child that is itself waiting in a seccomp stop. PTRACE_SEIZE rather than
// PTRACE_TRACEME keeps group-stops visible as such (PTRACE_LISTEN) and needs no SIGSTOP dance.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <memory>
#include <span>

#include "engine/scoped_fd.h"
#include "engine/signals.h"

namespace redirect::engine {


/// What the child reported before it could become the program.
struct ChildReport {
  enum class Stage : int { none, filter, exec };
  Stage stage = Stage::none;
  int error = 0;
};

/// What the child reads between clone and exec (its stack, argv, the PATH candidates). Opaque.
struct ChildPlan;

struct Spawned {
  Spawned();
  Spawned(Spawned&&) noexcept;
  Spawned& operator=(Spawned&&) noexcept;
  ~Spawned();  ///< frees the child's plan: only once it has exec'd or exited

  pid_t pid = -1;
  ScopedFd report;  ///< read with read_child_report() once `pid` has exited
  std::unique_ptr<ChildPlan> plan;
};

/// Thrown when the kernel refuses PTRACE_SEIZE (Yama, a container's seccomp profile...).
struct TraceRefused {
  int error;
};

/// Clones, seizes the child with redirect's ptrace options and lets it go on to install
/// `filter` (none: ptrace mode, and the child is PTRACE_INTERRUPTed so its first syscall
/// already stops) and exec `argv` (argv[0] looked up in PATH). Throws TraceRefused when
/// PTRACE_SEIZE fails (the child is reaped), fmt::system_error when clone/mmap/pipe fail.
[[nodiscard]] Spawned spawn_traced(char** argv, std::span<const sock_filter> filter,
                                   SignalPolicy& signals);

/// The child's report, or Stage::none when it exec'd the program. Call after it exited.
[[nodiscard]] ChildReport read_child_report(const ScopedFd& fd);

/// PTRACE_O_* options of every tracee.
extern const long ptrace_options;

}  // namespace redirect::engine
