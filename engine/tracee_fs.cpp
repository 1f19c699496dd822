// ProcRootFs (see tracee_fs.h): one lstat or readlink of /proc/TID/root/PATH each.
#include "engine/tracee_fs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace redirect::engine {

bool ProcRootFs::under_root(const char* host_path) {
  int n = std::snprintf(path_, sizeof path_, "/proc/%d/root%s", static_cast<int>(tid_),
                        host_path);
  return n > 0 && static_cast<std::size_t>(n) < sizeof path_;
}

rules::NodeKind ProcRootFs::lstat(const char* host_path) {
  using rules::NodeKind;
  struct stat st;
  if (!under_root(host_path) || ::lstat(path_, &st) != 0) return NodeKind::missing;
  if (S_ISDIR(st.st_mode)) return NodeKind::directory;
  if (S_ISLNK(st.st_mode)) return NodeKind::symlink;
  return NodeKind::other;
}

std::optional<std::size_t> ProcRootFs::readlink(const char* host_path, std::span<char> out) {
  if (!under_root(host_path)) return std::nullopt;
  ssize_t n = ::readlink(path_, out.data(), out.size());
  if (n < 0 || static_cast<std::size_t>(n) >= out.size()) return std::nullopt;
  return static_cast<std::size_t>(n);
}

}  // namespace redirect::engine
