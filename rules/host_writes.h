// `trace --no-host-writes`: discovery that leaves the host as it was. The loop runs the program
// for real until it works, so without this its first rounds write wherever it writes on an
// installed system (/run/nginx.pid, /var/lib/APP/state) before any rule points there. With it,
// each call that would write outside ROOT (where the data directories are), /tmp and /var/tmp
// fails with EROFS, as on a read-only host. One decision for both backends: the ptrace tracer
// asks it at a call's entry stop, the in-process SIGSYS handler before it makes the call, so
// it is pure and allocation-free, the file system asked through rules::HostFs. Limit: a path
// is judged as the program names it, so a write through a symbolic link under /tmp that
// points elsewhere is not caught.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "rules/action.h"
#include "rules/program_view.h"
#include "rules/sys.h"

namespace redirect::rules {

/// One path argument of a call, as the rules left it.
struct CallPath {
  Action action = Action::none;  ///< what a rule decided for it (none: no rule matched)
  std::string_view path;         ///< the absolute path it names; empty when it cannot be named
};

/// The errno to fail call `s` with, or 0 to let it run: EROFS for a call that writes
/// (access_of) to a path outside `root`, /tmp, /var/tmp, /dev, /proc and /sys; EEXIST instead
/// for a mkdir of a path that exists (the kernel says that before EROFS); 0 for an open that
/// would create a file (O_CREAT alone) that exists: it writes nothing. 0 when a rule decided
/// any of `paths` (the rules, not this, decide such a call). `fs.lstat` tells what exists.
[[nodiscard]] int host_write_error(Sys s, std::uint64_t open_flags, std::span<const CallPath> paths,
                                   std::string_view root, HostFs& fs);

}  // namespace redirect::rules
