// The path arithmetic of a walk the program confines to its dirfd (openat2 with
// RESOLVE_BENEATH or RESOLVE_IN_ROOT): a rewrite handed over as an absolute path would break
// that promise (BENEATH fails it with EXDEV, IN_ROOT reads it from the dirfd), so a rewrite
// whose result lies below the dirfd's directory is handed over relative to it, and any other
// is not made. Shared by the ptrace engine (engine/confined_walk.h, which also reads the
// call's open_how) and the in-process backend (inproc/path_rewrite.cpp); allocates nothing.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "rules/matcher.h"

namespace redirect::rules {

/// `path` relative to directory `dir` (absolute), when it lies strictly below it; nullopt
/// otherwise, and for an empty `dir` (an absolute argument: never moved).
[[nodiscard]] std::optional<std::string_view> below_directory(std::string_view dir,
                                                              std::string_view path);

/// For a call whose walk is confined to its dirfd: rewrite `d` handed over relative to `dir`
/// (the dirfd's directory; empty for an absolute argument), moved to the start of `out`,
/// when it lies below it. False when it does not: the call must be left as the program made
/// it.
[[nodiscard]] bool keep_below_dirfd(std::string_view dir, Decision& d, std::span<char> out);

}  // namespace redirect::rules
