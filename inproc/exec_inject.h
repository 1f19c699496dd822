// execve and execveat in-process. Syscall User Dispatch ends at exec; the new program is armed
// again only if the library is loaded into it, so:
// - the environment passed on always holds our LD_AUDIT and REDIRECT_INPROC_CONFIG, put back
//   when the program dropped or changed them (env -i, a sanitised environment): the child is
//   armed with the same rules, expanded as at the start, and sees those two variables;
// - a static program (no PT_INTERP) cannot load the library: the exec runs the launcher
//   (Config::launcher) in its exec form instead, argv unchanged and REDIRECT_INPROC_EXEC naming
//   the program, and the launcher arms the runtime in it (docs/inproc-static.md). What cannot
//   go that way runs unredirected, and a notice naming the pid and the program says why: a
//   static program exec'd by descriptor (fexecve) or relative to a directory descriptor, or
//   with no launcher found; a set-user-ID or set-group-ID program, whose loader ignores
//   LD_AUDIT and whose privilege the launcher cannot give;
// - in a program the launcher started, an exec of /proc/self/exe (which names the launcher)
//   runs the program's own file again.
// The path arguments are rewritten first, like any other call's.
#pragma once

#include "inproc/path_rewrite.h"

namespace redirect::inproc {

/// Makes exec call `call` (paths already rewritten) with the environment fixed up. Returns the
/// call's result (it returns only on failure).
long exec_with_runtime(const Runtime& rt, CallArgs& call);

}  // namespace redirect::inproc
