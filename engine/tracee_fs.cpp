// ProcRootFs (see tracee_fs.h): one lstat or readlink of /proc/TID/root/PATH each.
#include "engine/tracee_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace redirect::engine {

const char* ProcRootFs::under_root(const char* host_path) {
  if (own_root_) return host_path;
  int n = std::snprintf(path_, sizeof path_, "/proc/%d/root%s", static_cast<int>(tid_),
                        host_path);
  return n > 0 && static_cast<std::size_t>(n) < sizeof path_ ? path_ : nullptr;
}

rules::NodeKind ProcRootFs::lstat(const char* host_path) {
  using rules::NodeKind;
  struct stat st;
  const char* p = under_root(host_path);
  if (p == nullptr || ::lstat(p, &st) != 0) return NodeKind::missing;
  if (S_ISDIR(st.st_mode)) return NodeKind::directory;
  if (S_ISLNK(st.st_mode)) return NodeKind::symlink;
  return NodeKind::other;
}

std::optional<std::size_t> ProcRootFs::readlink(const char* host_path, std::span<char> out) {
  const char* p = under_root(host_path);
  if (p == nullptr) return std::nullopt;
  ssize_t n = ::readlink(p, out.data(), out.size());
  if (n < 0 || static_cast<std::size_t>(n) >= out.size()) return std::nullopt;
  return static_cast<std::size_t>(n);
}

bool ProcRootFs::walks_without_links(const char* host_path) {
  // Through /proc/TID/root the magic link itself would count as a link: look components up
  // one by one instead.
  if (!own_root_) return false;
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_NO_SYMLINKS;
  long fd = ::syscall(SYS_openat2, AT_FDCWD, host_path, &how, sizeof how);
  if (fd >= 0) {
    ::close(static_cast<int>(fd));
    return true;
  }
  // A missing component or a non-directory stops the kernel's walk before any link it would
  // follow; ELOOP (a link), ENOSYS (no openat2) and the rest: unsure.
  return errno == ENOENT || errno == ENOTDIR;
}

}  // namespace redirect::engine
