// openat2 with RESOLVE_BENEATH or RESOLVE_IN_ROOT asks the kernel to keep the walk inside the
// dirfd's tree. A rewrite to an absolute path would break that (BENEATH fails it with EXDEV,
// IN_ROOT reads the absolute path from the dirfd), so a rewrite of such a call is handed over
// relative to the dirfd when its result lies below the dirfd's directory, and otherwise the
// call is left as the program made it: its dirfd already names the directory the program
// opened, in the bundle if a rule sent it there. One rule, documented in rules.md; its path
// arithmetic is rules/below_dirfd.h.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>

#include "engine/regs.h"
#include "engine/tracee_io.h"
#include "rules/below_dirfd.h"
#include "rules/matcher.h"

namespace redirect::engine {

/// Whether call `e` of `tid` is an openat2 whose `struct open_how` asks for RESOLVE_BENEATH or
/// RESOLVE_IN_ROOT. Reads the open_how only for openat2 (24 bytes); an unreadable one is not
/// confined (the kernel answers EFAULT anyway).
[[nodiscard]] bool walk_is_confined(TraceeIo& io, pid_t tid, const SyscallEntry& e);

// The arithmetic of handing the rewrite over below the dirfd is the rules' (shared with the
// in-process backend).
using rules::below_directory;
using rules::keep_below_dirfd;

}  // namespace redirect::engine
