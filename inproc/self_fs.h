// The file system as this process sees it, for rules::program_view(), made of raw system calls
// (the handler may not call libc): lstat and readlink of a path of the process's own root, and
// the names of its working directory and of a directory fd. In-process there is no
// /proc/TID/root to go through: our own calls already walk the program's root.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "rules/program_view.h"

namespace redirect::inproc {

class SelfFs final : public rules::HostFs {
 public:
  rules::NodeKind lstat(const char* host_path) override;
  std::optional<std::size_t> readlink(const char* host_path, std::span<char> out) override;
  bool walks_without_links(const char* host_path) override;
};

/// The path of the calling thread's working directory (no `dirfd`) or of the directory open
/// on `dirfd`, in `out`; nullopt with `why` (rules/unnamed_directory.h, the ptrace engine's
/// words) when it has none: deleted, outside our root, not a file, not open, /proc missing.
/// A dirfd open on a file that is not a directory is named: fd_is_directory() tells, as
/// the ptrace engine asks only once a rule would act on the path.
[[nodiscard]] std::optional<std::string_view> name_directory(std::optional<int> dirfd,
                                                             std::span<char> out,
                                                             std::string_view& why);

/// Whether `fd` is open on a directory.
[[nodiscard]] bool fd_is_directory(int fd);

}  // namespace redirect::inproc
