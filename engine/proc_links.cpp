// ProcLinks (see proc_links.h). A thread met for the first time pays the plain readlink (a
// short-lived process with one relative name must not pay an open too); from its second
// name on, one readlinkat on a handle kept in its slot. Slots are direct-mapped by TID: a
// collision costs the path again, never a wrong answer, because each read checks the TID.
#include "engine/proc_links.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace redirect::engine {

ssize_t ProcLinks::read_by_path(pid_t tid, std::optional<int> dirfd, std::span<char> out) {
  char path[64];
  if (dirfd)
    std::snprintf(path, sizeof path, "/proc/%d/fd/%d", static_cast<int>(tid), *dirfd);
  else
    std::snprintf(path, sizeof path, "/proc/%d/cwd", static_cast<int>(tid));
  return ::readlink(path, out.data(), out.size());
}

bool ProcLinks::open_handles(Slot& s, pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/cwd", static_cast<int>(tid));
  s.cwd = ScopedFd(::open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC));
  std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(tid));
  s.fd_dir = ScopedFd(::open(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
  return s.cwd.valid() && s.fd_dir.valid();
}

ssize_t ProcLinks::read(pid_t tid, std::optional<int> dirfd, std::span<char> out) {
  Slot& s = slots_[static_cast<std::size_t>(tid) % slots_.size()];
  if (s.tid != tid) {
    s = Slot{};
    s.tid = tid;
  }
  if (++s.seen < 2 || (!s.cwd.valid() && !open_handles(s, tid)))
    return read_by_path(tid, dirfd, out);
  char leaf[16];
  if (dirfd) std::snprintf(leaf, sizeof leaf, "%d", *dirfd);
  ssize_t n = dirfd ? ::readlinkat(s.fd_dir.get(), leaf, out.data(), out.size())
                    : ::readlinkat(s.cwd.get(), "", out.data(), out.size());
  if (n >= 0 || errno != ENOENT) return n;
  // The handles name a thread that is gone: a new thread with this TID is another struct
  // pid, so ask by path (which names the new one, or fails as the path would).
  s = Slot{};
  s.tid = tid;
  s.seen = 1;
  return read_by_path(tid, dirfd, out);
}

}  // namespace redirect::engine
