// The cheapest exact way to ask the kernel what a tracee's working directory (or its fd N) is
// called. A readlink of "/proc/TID/cwd" walks /proc and the TID at every call; an O_PATH
// handle on the link itself, read with readlinkat(fd, ""), skips that walk and still asks the
// kernel afresh each time: the handle names the thread (its struct pid), not the directory, so
// a chdir or fchdir by any thread sharing its fs, unshare(CLONE_FS), setns, or a rename of an
// ancestor by any process, traced or not, shows at the next read exactly as it does through
// the path. Once the thread is gone the handle reads ENOENT and is never confused with a later
// thread given the same number; an exec by a non-leader thread takes over the leader's
// struct pid, so the leader's handle then names the exec'ing thread, as /proc does.
//
// The working directory's name is kept between calls by CwdNames (cwd_names.h), which calls
// this only when the name may have changed; an fd's name is read every time (keeping it
// would need close, dup2, dup3 and fcntl trapped: see bench/README.md).
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include "engine/scoped_fd.h"

namespace redirect::engine {

class ProcLinks {
 public:
  /// readlink() of /proc/TID/cwd (no dirfd) or /proc/TID/fd/DIRFD into `out`: the byte
  /// count, or -1 with errno set as readlink sets it (ENOENT when the thread or fd is gone).
  /// A thread seen twice gets its handles kept (two per slot, 64 slots: at most 128 fds).
  [[nodiscard]] ssize_t read(pid_t tid, std::optional<int> dirfd, std::span<char> out);

 private:
  struct Slot {
    pid_t tid = 0;
    unsigned seen = 0;
    ScopedFd cwd;     // O_PATH|O_NOFOLLOW of /proc/TID/cwd
    ScopedFd fd_dir;  // O_PATH|O_DIRECTORY of /proc/TID/fd
  };
  ssize_t read_by_path(pid_t tid, std::optional<int> dirfd, std::span<char> out);
  bool open_handles(Slot& s, pid_t tid);

  std::array<Slot, 64> slots_{};
};

}  // namespace redirect::engine
