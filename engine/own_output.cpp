// OwnOutput (see own_output.h). SIGPIPE is ignored by redirect (signals.h), so a closed pipe
// shows up here as EPIPE rather than ending the process.
#include "engine/own_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace redirect::engine {

void write_stderr_line(std::string_view line) noexcept {
  try {
    std::string text(line);
    text += '\n';
    std::string_view rest = text;
    while (!rest.empty()) {
      ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // stderr is gone too: nothing more can be said
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  } catch (const std::bad_alloc&) {
    // Out of memory for one notice: it is lost, the run is not.
  }
}

bool OwnOutput::write(std::string_view bytes) noexcept {
  if (dropped_) return false;
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;  // a write of 0 bytes to a file: no room
      dropped_ = true;
      try {
        write_stderr_line("redirect: cannot write " + what_ + " (" + std::strerror(err) +
                          "); it is dropped for the rest of the run");
      } catch (const std::bad_alloc&) {
      }
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace redirect::engine
