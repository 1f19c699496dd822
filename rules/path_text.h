// The text of a path as the kernel will walk it, built without touching the file system: a
// relative argument joined to the directory it is relative to, and the spellings that cannot
// change where a walk ends collapsed (repeated '/', "/./", a trailing "/."). The surprise that
// limits it: ".." is kept as written, because "a/.." is not "." when "a" is a symlink (the walk
// goes up from the link's target, not from "a"'s parent), and only the kernel knows which
// components are links.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace redirect::rules {

/// A path the kernel resolves against some directory: not empty and not starting with '/'.
[[nodiscard]] constexpr bool is_relative_path(std::string_view s) {
  return !s.empty() && s.front() != '/';
}

/// Whether collapse_path() would change absolute path `s`.
[[nodiscard]] bool needs_collapse(std::string_view s);

/// Whether `dir` is "/" or an absolute name with no empty, "." or ".." component and no
/// trailing '/': the form the kernel gives a directory's name in (/proc/TID/cwd, fd/N), which
/// join_path() copies unchanged and in which no component needs the program's view.
[[nodiscard]] bool is_clean_dir(std::string_view dir);

/// Writes `dir` (absolute) + '/' + `rel` into `out`, collapsed, with a NUL after it; `rel` may
/// be empty or absolute too (then `dir` is ignored, as the kernel does). Returns the length, or
/// nullopt when the result and its NUL do not fit in `out`.
[[nodiscard]] std::optional<std::size_t> join_path(std::string_view dir, std::string_view rel,
                                                   std::span<char> out);

/// join_path() for a `dir` the caller knows is_clean_dir() (once per name, not per path): the
/// same result, with `dir` copied whole and only `rel` scanned.
[[nodiscard]] std::optional<std::size_t> join_to_clean_dir(std::string_view dir,
                                                           std::string_view rel,
                                                           std::span<char> out);

}  // namespace redirect::rules
