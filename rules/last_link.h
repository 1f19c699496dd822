// Whether the kernel follows a symbolic link that is the last component of a path argument, for
// one call: lstat, readlink, unlink, rename, mkdir and the like act on the link itself; open
// follows it unless O_NOFOLLOW or O_CREAT|O_EXCL; the *at calls say so in their flags
// (AT_SYMLINK_NOFOLLOW, or AT_SYMLINK_FOLLOW for linkat and name_to_handle_at). The program's
// view (program_view.h) follows a link inside a bundle only where the kernel would.
#pragma once

#include <cstdint>
#include <span>

#include "rules/sys.h"

namespace redirect::rules {

/// For path argument register `arg` of `sys` on `audit_arch`, with the call's argument
/// registers `args`. A call this table does not know is taken not to follow (the kernel then
/// follows the link itself, on the host, as before).
[[nodiscard]] bool follows_last_link(Sys sys, unsigned arg, std::span<const std::uint64_t> args,
                                     std::uint32_t audit_arch);

}  // namespace redirect::rules
