// `trace --no-host-writes` for the ptrace tracer: a traced call (a PathEvent) handed to the one
// decision both backends share (rules/host_writes.h), which says what fails with EROFS and why;
// the report lists those calls and --suggest turns the ones under $HOME, /var/lib, /var/log,
// /var/cache and /run into data rules, whose writes (into ROOT) then succeed in the next round.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/path_events.h"

namespace redirect::cli {

/// rules::host_write_error for the call `e` (its arguments' actions and resolved paths), with
/// `exists(path)` (lstat succeeds) as the file system.
[[nodiscard]] int host_write_error(const engine::PathEvent& e, std::string_view root,
                                   const std::function<bool(const std::string&)>& exists);

}  // namespace redirect::cli
