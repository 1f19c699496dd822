// SelfFs and name_directory (see self_fs.h): one system call each, no libc.
#include "inproc/self_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>

#include "inproc/raw_syscall.h"

namespace redirect::inproc {

rules::NodeKind SelfFs::lstat(const char* host_path) {
  using rules::NodeKind;
  struct stat st;
  if (raw_syscall(SYS_newfstatat, AT_FDCWD, host_path, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return NodeKind::missing;
  if (S_ISDIR(st.st_mode)) return NodeKind::directory;
  if (S_ISLNK(st.st_mode)) return NodeKind::symlink;
  return NodeKind::other;
}

std::optional<std::size_t> SelfFs::readlink(const char* host_path, std::span<char> out) {
  long n = raw_syscall(SYS_readlinkat, AT_FDCWD, host_path, out.data(), out.size());
  if (n < 0 || static_cast<std::size_t>(n) >= out.size()) return std::nullopt;
  return static_cast<std::size_t>(n);
}

bool SelfFs::walks_without_links(const char* host_path) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_NO_SYMLINKS;
  long fd = raw_syscall(SYS_openat2, AT_FDCWD, host_path, &how, sizeof how);
  if (fd >= 0) {
    raw_syscall(SYS_close, fd);
    return true;
  }
  // A missing component or a non-directory stops the kernel's walk before any link it would
  // follow; ELOOP (a link), ENOSYS (no openat2) and the rest: unsure.
  return fd == -ENOENT || fd == -ENOTDIR;
}

namespace {

// "/proc/self/fd/" + decimal `fd`, NUL-terminated, into `buf`.
const char* fd_link(int fd, char (&buf)[32]) {
  const char prefix[] = "/proc/self/fd/";
  std::size_t n = 0;
  for (char c : std::string_view(prefix)) buf[n++] = c;
  char digits[12];
  std::size_t d = 0;
  unsigned v = static_cast<unsigned>(fd);
  do digits[d++] = static_cast<char>('0' + v % 10);
  while ((v /= 10) != 0);
  while (d > 0) buf[n++] = digits[--d];
  buf[n] = '\0';
  return buf;
}

}  // namespace

std::optional<std::string_view> name_directory(int dirfd, std::span<char> out,
                                               std::string_view& why) {
  long n;
  if (dirfd < 0) {
    // getcwd(2) says "(unreachable)" for a directory outside our root, and fails with ENOENT
    // for a deleted one: neither is a name a rule can match.
    n = raw_syscall(SYS_getcwd, out.data(), out.size());
    if (n <= 0 || out[0] != '/') {
      why = "the working directory has no name (deleted, or outside the root)";
      return std::nullopt;
    }
    return std::string_view(out.data(), static_cast<std::size_t>(n) - 1);
  }
  struct stat st;
  if (raw_syscall(SYS_fstat, dirfd, &st) != 0 || !S_ISDIR(st.st_mode)) {
    why = "the dirfd is not an open directory";
    return std::nullopt;
  }
  char link[32];
  n = raw_syscall(SYS_readlinkat, AT_FDCWD, fd_link(dirfd, link), out.data(), out.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= out.size() || out[0] != '/') {
    why = "the dirfd's directory has no name (/proc, deleted)";
    return std::nullopt;
  }
  std::string_view name(out.data(), static_cast<std::size_t>(n));
  if (name.ends_with(" (deleted)")) {
    why = "the dirfd's directory was deleted";
    return std::nullopt;
  }
  out[static_cast<std::size_t>(n)] = '\0';
  return name;
}

}  // namespace redirect::inproc
