// Whether a process redirect does not wait for (a descendant of the program, in-process) has
// ended, as far as /proc can say. The in-process collector asks it of a process that made a
// rewritten exec whose outcome never came: the runtime sends an exec's failure from the thread
// the call returned to, before anything else, so once the process has ended without one, its
// exec succeeded, and only the program it started did not arm the runtime to say so (an i386
// or set-user-ID program, a static Go one).
#pragma once

#include <sys/types.h>

namespace redirect::cli {

/// True when `pid` no longer runs: no such process, or a zombie. False while it runs (or when
/// /proc cannot be read: not known to have ended). A pid reused since by an unrelated process
/// reads as running: the answer errs toward "not known".
[[nodiscard]] bool process_has_ended(pid_t pid);

}  // namespace redirect::cli
