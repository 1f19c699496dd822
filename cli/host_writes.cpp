// host_write_error (see host_writes.h).
#include "cli/host_writes.h"

#include <fcntl.h>

#include <cerrno>

#include "cli/trace_report.h"

namespace redirect::cli {
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

bool opens(rules::Sys s) {
  return s == rules::Sys::open || s == rules::Sys::openat || s == rules::Sys::openat2;
}

}  // namespace

int host_write_error(const engine::PathEvent& e, std::string_view root,
                     const std::function<bool(const std::string&)>& exists) {
  if (access_of(e.sys, e.open_flags) != Access::write) return 0;
  const std::uint64_t writes = O_WRONLY | O_RDWR | O_TRUNC;
  const bool create_only = opens(e.sys) && (e.open_flags & writes) == 0 &&
                           (e.open_flags & O_TMPFILE) != O_TMPFILE;
  for (const engine::PathEventArg& a : e.args) {
    if (a.action != rules::Action::none) return 0;  // the rules decided this call
  }
  for (const engine::PathEventArg& a : e.args) {
    // A path that cannot be named (a deleted working directory) cannot be judged.
    if (a.resolved.empty() || writable(a.resolved, root)) continue;
    const bool is_mkdir = e.sys == rules::Sys::mkdir || e.sys == rules::Sys::mkdirat;
    if (is_mkdir && exists(a.resolved)) return EEXIST;
    if (create_only && exists(a.resolved)) continue;
    return EROFS;
  }
  return 0;
}

}  // namespace redirect::cli
