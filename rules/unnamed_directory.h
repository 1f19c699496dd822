// Why the directory a relative path is relative to cannot be named, in the words the log puts
// in "... is relative to a directory that cannot be named (WHY)": the ptrace engine
// (engine/tracee_io.cpp) and the in-process backend (inproc/self_fs.cpp) both take them from
// here, and both read a directory's /proc link (fd/N, cwd) with read_directory_link(), so the
// same directory is said the same way whichever backend runs. The surprise: a /proc link that
// ends in " (deleted)" may name a directory really called so; only a link count of 0 says it
// is gone, and that takes a stat only the caller can make.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace redirect::rules {

namespace unnamed {
inline constexpr std::string_view not_open_fd = "not an open file descriptor";
inline constexpr std::string_view not_a_file = "it is not a file in the file system";
inline constexpr std::string_view deleted = "it has been deleted";
inline constexpr std::string_view name_too_long = "its name is longer than PATH_MAX";
inline constexpr std::string_view proc_silent = "/proc does not name it";
inline constexpr std::string_view thread_gone = "the thread is gone";
/// An open dirfd on something else than a directory: the kernel answers ENOTDIR.
inline constexpr std::string_view not_directory = "the dirfd is not a directory";
/// The working directory lies outside the process's root (getcwd's "(unreachable)").
inline constexpr std::string_view outside_root = "it is outside the root directory";
inline constexpr std::string_view other_root = "its root directory is not redirect's (chroot)";
/// The directory was named, but joined with the path it is longer than PATH_MAX.
inline constexpr std::string_view path_too_long = "the path is longer than PATH_MAX";
}  // namespace unnamed

/// What the text of a directory's /proc link says.
struct DirectoryLink {
  enum class Kind : std::uint8_t {
    named,         ///< an absolute path
    maybe_deleted, ///< an absolute path ending in " (deleted)": deleted if its link count is 0
    unnamed,       ///< no name a rule can match: `why` says why
  };
  Kind kind = Kind::unnamed;
  std::string_view why;  ///< a static text (unnamed::)
};

/// Reads `text`, what readlink() wrote of a directory's /proc link into a buffer of `capacity`
/// bytes (`text.size()` is readlink's count): an absolute path, or pipe:[N], socket:[N],
/// anon_inode:..., or a name the buffer could not hold.
[[nodiscard]] DirectoryLink read_directory_link(std::string_view text, std::size_t capacity);

}  // namespace redirect::rules
