// PtraceIo: the real TraceeIo (see tracee_io.h). A dirfd's directory name costs one readlink
// of /proc/TID/fd/N, through a kept handle from a thread's second name on (proc_links.h;
// 0.6-0.9 us on the bench VM); the working directory's name is kept while it cannot have
// changed (cwd_names.h); the "is it a directory" stat is paid only when a rule would act on a
// dirfd path.
#include "engine/tracee_io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "rules/unnamed_directory.h"

namespace redirect::engine {
namespace {

// "/proc/TID/LEAF" into `buf`.
const char* proc_path(char (&buf)[64], pid_t tid, const char* leaf) {
  std::snprintf(buf, sizeof buf, "/proc/%d/%s", static_cast<int>(tid), leaf);
  return buf;
}

}  // namespace

StringRead PtraceIo::read_string(pid_t tid, RemotePtr at, std::span<char> buf) {
  return read_c_string(tid, at, buf);
}

bool PtraceIo::read_bytes(pid_t tid, RemotePtr at, std::span<char> out) {
  return engine::read_bytes(tid, at, out);
}

int PtraceIo::write(pid_t tid, std::span<const RemoteWrite> pieces) {
  return write_remote(tid, pieces);
}

int PtraceIo::apply(pid_t tid, const RegPatch& patch) { return patch.apply(tid); }

int PtraceIo::read_result(pid_t tid, const arch::Personality& p, long& out) {
  return engine::read_result(tid, p, out);
}

DirName PtraceIo::name_directory(pid_t tid, std::optional<int> dirfd, std::span<char> out) {
  namespace unnamed = rules::unnamed;
  using Link = rules::DirectoryLink;
  char path[64];
  char leaf[32];
  if (dirfd) {
    if (*dirfd < 0) return {DirName::Status::unnamed, 0, unnamed::not_open_fd};
    std::snprintf(leaf, sizeof leaf, "fd/%d", *dirfd);
  } else {
    std::snprintf(leaf, sizeof leaf, "cwd");
  }
  ssize_t n = dirfd ? links_.read(tid, dirfd, out) : cwd_.read(tid, links_, out);
  if (n < 0) {
    if (errno == ENOENT && ::access(proc_path(path, tid, "stat"), F_OK) != 0)
      return {DirName::Status::gone, 0, unnamed::thread_gone};
    if (errno == ENOENT) return {DirName::Status::unnamed, 0, unnamed::not_open_fd};
    return {DirName::Status::unnamed, 0, unnamed::proc_silent};
  }
  auto length = static_cast<std::size_t>(n);
  const Link link = rules::read_directory_link(std::string_view(out.data(), length), out.size());
  if (link.kind == Link::Kind::unnamed) return {DirName::Status::unnamed, 0, link.why};
  if (link.kind == Link::Kind::maybe_deleted) {
    struct stat st;
    if (::stat(proc_path(path, tid, leaf), &st) != 0 || st.st_nlink == 0)
      return {DirName::Status::unnamed, 0, unnamed::deleted};
  }
  out[length] = '\0';
  return {DirName::Status::ok, length, {}};
}

bool PtraceIo::fd_is_directory(pid_t tid, int fd) {
  char path[64], leaf[32];
  std::snprintf(leaf, sizeof leaf, "fd/%d", fd);
  struct stat st;
  return ::stat(proc_path(path, tid, leaf), &st) == 0 && S_ISDIR(st.st_mode);
}

bool PtraceIo::shares_our_root(pid_t tid) {
  char path[64], target[8];
  ssize_t n = ::readlink(proc_path(path, tid, "root"), target, sizeof target);
  return n == 1 && target[0] == '/';
}

}  // namespace redirect::engine
