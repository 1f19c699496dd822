// REDIRECT_CHECK: an invariant of ours that must hold in every build (rr src/log.h ASSERT;
// rr CONTRIBUTING.md: "Assertions are turned on in release builds"). On failure it prints the
// condition, where, and the pid it concerns, then aborts; PTRACE_O_EXITKILL takes every
// tracee down with us, so nothing goes on running half-rewritten.
#pragma once

#include <sys/types.h>

namespace redirect::engine {

[[noreturn]] void check_failed(const char* cond, const char* file, int line, pid_t pid);

}  // namespace redirect::engine

#define REDIRECT_CHECK(cond, pid)                                                   \
  do {                                                                              \
    if (!(cond)) ::redirect::engine::check_failed(#cond, __FILE__, __LINE__, (pid)); \
  } while (0)
