// openat2 with RESOLVE_BENEATH or RESOLVE_IN_ROOT asks the kernel to keep the walk inside the
// dirfd's tree. A rewrite to an absolute path would break that (BENEATH fails it with EXDEV,
// IN_ROOT reads the absolute path from the dirfd), so a rewrite of such a call is handed over
// relative to the dirfd when its result lies below the dirfd's directory, and otherwise the
// call is left as the program made it: its dirfd already names the directory the program
// opened, in the bundle if a rule sent it there. One rule, documented in rules.md.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>

#include "engine/regs.h"
#include "engine/tracee_io.h"
#include "rules/matcher.h"

namespace redirect::engine {

/// Whether call `e` of `tid` is an openat2 whose `struct open_how` asks for RESOLVE_BENEATH or
/// RESOLVE_IN_ROOT. Reads the open_how only for openat2 (24 bytes); an unreadable one is not
/// confined (the kernel answers EFAULT anyway).
[[nodiscard]] bool walk_is_confined(TraceeIo& io, pid_t tid, const SyscallEntry& e);

/// `path` relative to directory `dir` (absolute), when it lies strictly below it; nullopt
/// otherwise, and for an empty `dir` (an absolute argument: never moved).
[[nodiscard]] std::optional<std::string_view> below_directory(std::string_view dir,
                                                              std::string_view path);

/// For a call whose walk is confined to its dirfd: rewrite `d` handed over relative to `dir`
/// (the dirfd's directory; empty for an absolute argument), moved to the start of `out`,
/// when it lies below it. False when it does not: the call must be left as the program made
/// it.
[[nodiscard]] bool keep_below_dirfd(std::string_view dir, rules::Decision& d,
                                    std::span<char> out);

}  // namespace redirect::engine
