// What `redirect trace` learns about each path syscall (%file and the exec family) of every
// tracee: who made it, the path each argument names for the kernel, what the rules did with it
// and what the kernel answered. The surprise that shapes it: an event is only complete at the
// call's exit stop (or at the exec event of an execve that succeeded, which has no exit stop in
// seccomp mode), so it is gathered at entry, kept per thread, and handed to the observer then.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/matcher.h"
#include "rules/sys.h"

namespace redirect::engine {

/// One path argument of a traced call.
struct PathEventArg {
  unsigned arg = 0;          ///< argument register, as in --log (openat's path is 1)
  std::string passed;        ///< the string as the program passed it
  std::string resolved;      ///< the absolute path the kernel reaches; "" if it cannot be named
  rules::Action action = rules::Action::none;
  const rules::CompiledRule* rule = nullptr;  ///< who decided; null when no rule matched
  std::string replacement;   ///< a rewrite's new string
};

/// One traced call, complete.
struct PathEvent {
  pid_t tid = 0;
  std::string program;  ///< /proc/TID/comm when the call was made ("" if unreadable)
  rules::Sys sys{};
  std::string_view syscall;  ///< its name (static text)
  /// open, openat, openat2's flags; creat's implied O_CREAT|O_WRONLY|O_TRUNC; else 0.
  std::uint64_t open_flags = 0;
  std::vector<PathEventArg> args;  ///< the readable path arguments, in argument order
  std::optional<long> result;      ///< the kernel's return value (-errno); nullopt: unknown
  bool dry_run = false;            ///< the rules' decisions were not applied
};

/// Receives each traced call once it is complete, in completion order.
class PathObserver {
 public:
  virtual ~PathObserver() = default;
  virtual void on_path_event(const PathEvent& event) = 0;
};

/// Fails a traced call before it runs: `trace --no-host-writes` discovers without writing to
/// the host. Asked at the entry of each path call no rule denied, once its arguments and the
/// rules' decisions are in `event` (which has no result yet). Returns the errno to fail the
/// call with, or 0 to let it run. Unlike an observer it steers the stop, on purpose and in trace only.
class PathVeto {
 public:
  virtual ~PathVeto() = default;
  virtual int refuse(const PathEvent& event) = 0;
};

}  // namespace redirect::engine
