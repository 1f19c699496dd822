// access_of (see file_access.h).
#include "rules/file_access.h"

#include <fcntl.h>

#include "rules/syscall_table.h"

namespace redirect::rules {

bool is_open_call(Sys s) { return s == Sys::open || s == Sys::openat || s == Sys::openat2; }

Access access_of(Sys s, std::uint64_t open_flags) {
  const SyscallInfo& info = syscall_info(s);
  if (info.classes & TE) return Access::exec;
  if (is_open_call(s)) {
    const std::uint64_t tmpfile = O_TMPFILE & ~static_cast<std::uint64_t>(O_DIRECTORY);
    const std::uint64_t writes = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | tmpfile;
    if (open_flags & writes) return Access::write;
    // O_PATH opens no data: the file is only looked up.
    return (open_flags & O_PATH) ? Access::metadata : Access::read;
  }
  if (info.classes & WR) return Access::write;
  return Access::metadata;
}

}  // namespace redirect::rules
