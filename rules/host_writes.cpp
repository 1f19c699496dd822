// host_write_error (see host_writes.h). Runs in the in-process SIGSYS handler too: no
// allocation, the one copy of a path made on the stack for lstat's NUL.
#include "rules/host_writes.h"

#include <fcntl.h>
#include <limits.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "rules/file_access.h"

namespace redirect::rules {
namespace {

bool same_or_under(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

bool writable(std::string_view path, std::string_view root) {
  for (std::string_view dir : {"/tmp", "/var/tmp", "/dev", "/proc", "/sys"})
    if (same_or_under(path, dir)) return true;
  return same_or_under(path, root);
}

// Whether `path` names something (lstat succeeds); a path too long to ask about counts as absent.
bool exists(std::string_view path, HostFs& fs) {
  std::array<char, PATH_MAX> text;
  if (path.size() >= text.size()) return false;
  std::memcpy(text.data(), path.data(), path.size());
  text[path.size()] = '\0';
  return fs.lstat(text.data()) != NodeKind::missing;
}

}  // namespace

int host_write_error(Sys s, std::uint64_t open_flags, std::span<const CallPath> paths,
                     std::string_view root, HostFs& fs) {
  if (access_of(s, open_flags) != Access::write) return 0;
  const std::uint64_t writes = O_WRONLY | O_RDWR | O_TRUNC;
  const bool create_only =
      is_open_call(s) && (open_flags & writes) == 0 && (open_flags & O_TMPFILE) != O_TMPFILE;
  for (const CallPath& p : paths)
    if (p.action != Action::none) return 0;  // the rules decided this call
  const bool is_mkdir = s == Sys::mkdir || s == Sys::mkdirat;
  for (const CallPath& p : paths) {
    // A path that cannot be named (a deleted working directory) cannot be judged.
    if (p.path.empty() || writable(p.path, root)) continue;
    if (is_mkdir && exists(p.path, fs)) return EEXIST;
    if (create_only && exists(p.path, fs)) continue;
    return EROFS;
  }
  return 0;
}

}  // namespace redirect::rules
