// A stream of redirect's own output (the --log file, trace's --report and its JSON lines) that
// can never harm the traced program. The surprise it guards against: such a stream fails in
// ordinary use (its reader exits, as `| head` does: EPIPE; a full disk: ENOSPC; a dead
// terminal: EIO), and an exception or SIGPIPE from it would end the tracer, whose
// PTRACE_O_EXITKILL then kills every traced process. So the first write that fails drops the
// stream for the rest of the run, with one notice on stderr (written directly, with one
// write(2), and only attempted: stderr may be the very pipe that broke), and the run goes on.
#pragma once

#include <string>
#include <string_view>

namespace redirect::engine {

class OwnOutput {
 public:
  /// Writes to `fd` (not owned); `what` names the stream in the notice ("the --log file x").
  OwnOutput(int fd, std::string what) : fd_(fd), what_(std::move(what)) {}

  /// Writes all of `bytes` (a short write is retried for the rest, EINTR too). False once the
  /// stream is dropped: this write or an earlier one failed. Never throws.
  bool write(std::string_view bytes) noexcept;
  [[nodiscard]] bool dropped() const { return dropped_; }
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
  std::string what_;
  bool dropped_ = false;
};

/// Writes `line` and a newline to stderr with one write(2), ignoring any failure: for
/// redirect's own notices, which must not end a run when stderr is gone.
void write_stderr_line(std::string_view line) noexcept;

}  // namespace redirect::engine
