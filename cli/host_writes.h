// `trace --no-host-writes`: discovery that leaves the host as it was. The loop runs the program
// for real until it works, so without this its first rounds write wherever it writes on an
// installed system (/run/nginx.pid, /var/lib/APP/state) before any rule points there. With it,
// each call that would write outside ROOT (where the data directories are), /tmp and /var/tmp
// fails with EROFS, as on a read-only host; the report lists those calls and --suggest turns
// the ones under $HOME, /var/lib, /var/log, /var/cache and /run into data rules, whose writes
// (into ROOT) then succeed in the next round. Pure code: the file system is asked through
// `exists`. Limit: a path is judged as the program names it, so a write through a symbolic
// link under /tmp that points elsewhere is not caught.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/path_events.h"

namespace redirect::cli {

/// The errno to fail `e` with (a path call no rule changed), or 0 to let it run: EROFS for a
/// call that writes (access_of) to a path outside `root`, /tmp, /var/tmp, /dev, /proc and
/// /sys; EEXIST instead for a mkdir of a path that exists (the kernel says that before EROFS);
/// 0 for an open that would create a file (O_CREAT alone) that exists: it writes nothing.
/// `exists(path)`: lstat succeeds.
[[nodiscard]] int host_write_error(const engine::PathEvent& e, std::string_view root,
                                   const std::function<bool(const std::string&)>& exists);

}  // namespace redirect::cli
