// SelfFs and name_directory (see self_fs.h): one system call each, no libc.
#include "inproc/self_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>

#include "inproc/raw_syscall.h"
#include "rules/unnamed_directory.h"

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

// "/proc/thread-self/fd/" + decimal `fd`, NUL-terminated, into `buf`. The calling thread's
// descriptors, as the ptrace engine reads /proc/TID/fd: after unshare(CLONE_FILES) a number
// may name another file in this thread than in the process's leader (/proc/self).
const char* fd_link(int fd, char (&buf)[40]) {
  const char prefix[] = "/proc/thread-self/fd/";
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

namespace {

// The working directory's name, from getcwd(2): it says "(unreachable)" for a directory outside
// our root and fails with ENOENT for a deleted one, neither a name a rule can match.
std::optional<std::string_view> name_cwd(std::span<char> out, std::string_view& why) {
  const long n = raw_syscall(SYS_getcwd, out.data(), out.size());
  if (n == -ENOENT) why = rules::unnamed::deleted;
  else if (n == -ERANGE || n == -ENAMETOOLONG) why = rules::unnamed::name_too_long;
  else if (n <= 0 || out[0] != '/') why = rules::unnamed::outside_root;
  else return std::string_view(out.data(), static_cast<std::size_t>(n) - 1);
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> name_directory(std::optional<int> dirfd, std::span<char> out,
                                               std::string_view& why) {
  using Link = rules::DirectoryLink;
  if (!dirfd) return name_cwd(out, why);
  if (*dirfd < 0) {
    why = rules::unnamed::not_open_fd;
    return std::nullopt;
  }
  char link[40];
  const long n =
      raw_syscall(SYS_readlinkat, AT_FDCWD, fd_link(*dirfd, link), out.data(), out.size());
  if (n < 0) {
    why = n == -ENOENT ? rules::unnamed::not_open_fd : rules::unnamed::proc_silent;
    return std::nullopt;
  }
  const auto length = static_cast<std::size_t>(n);
  const Link named = rules::read_directory_link(std::string_view(out.data(), length), out.size());
  if (named.kind == Link::Kind::unnamed) {
    why = named.why;
    return std::nullopt;
  }
  struct stat st;
  if (named.kind == Link::Kind::maybe_deleted &&
      (raw_syscall(SYS_fstat, *dirfd, &st) != 0 || st.st_nlink == 0)) {
    why = rules::unnamed::deleted;
    return std::nullopt;
  }
  out[length] = '\0';
  return std::string_view(out.data(), length);
}

bool fd_is_directory(int fd) {
  struct stat st;
  return raw_syscall(SYS_fstat, fd, &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace redirect::inproc
