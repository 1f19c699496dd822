// Where the engine says things the user should read that are neither errors nor part of the
// --log: the seccomp fallback, a non-dumpable program whose paths cannot be read, a rewrite
// that could not be written. The engine never prints; the CLI provides the sink and decides
// the prefix and the stream, so the same words reach a terminal, a test or a report.
#pragma once

#include <string_view>

namespace redirect::engine {

/// Receives one line (no trailing newline, no program-name prefix) per notice.
class Notices {
 public:
  virtual ~Notices() = default;
  virtual void say(std::string_view line) = 0;
};

}  // namespace redirect::engine
