// Which file a path argument names for the kernel, as pure functions: what kind of argument it
// is and which directory a relative one needs (the calling thread's working directory, or the
// directory open on a dirfd). A run asks the tracee's /proc for the directory and `explain`
// takes it from --cwd and --dirfd-dir; both then take the path in the program's view with the
// same step (view_resolver.h), so they cannot disagree about which path a rule sees. The surprise: not every
// "path argument" is a C string relative to something. A symlink's target is stored as written
// (LINK in syscalls.def), xattr names are no paths, and an AF_UNIX socket address (bind,
// connect, sendto, sendmsg) is a path relative to the working directory although it arrives
// inside a struct sockaddr.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "rules/matcher.h"
#include "rules/sys.h"

namespace redirect::rules {

/// AT_FDCWD, the same on every Linux ABI: a dirfd meaning "the working directory".
inline constexpr int at_fdcwd = -100;

/// The directory a path argument is relative to.
struct DirectoryNeed {
  enum class Kind : std::uint8_t {
    none,   ///< nothing to look up: an absolute path, a symlink target, or no path at all
    cwd,    ///< the calling thread's working directory
    dirfd,  ///< the directory open on `fd`
  };
  Kind kind = Kind::none;
  int fd = -1;
};

/// Whether an argument of kind `base` names a file the kernel will look up (a symlink's target
/// and non-path strings do not).
[[nodiscard]] constexpr bool is_path(ArgBase base) {
  return base.kind != ArgBase::Kind::link && base.kind != ArgBase::Kind::not_a_path;
}

/// What neutral argument `arg` (x86_64/aarch64 numbering) of `s` is, in `audit_arch`'s
/// registers: a path relative to the cwd or a dirfd, a symlink's target, a socket address, or
/// not a path at all.
[[nodiscard]] ArgBase arg_base(Sys s, unsigned arg, std::uint32_t audit_arch);

/// One argument of a syscall that names a file.
struct PathArgument {
  std::uint8_t reg = 0;  ///< its register position on the arch
  ArgBase base;
};

/// The arguments of native syscall `nr` on `audit_arch` that name a file (a symlink's target
/// and non-path strings are not among them), in argument order; empty for a number the syscall
/// table does not know. What trace reads of every call it records.
[[nodiscard]] std::vector<PathArgument> path_arguments(long nr, std::uint32_t audit_arch);

/// The same into `out`, without allocating (the in-process handler's trace): their count.
[[nodiscard]] std::size_t path_arguments(long nr, std::uint32_t audit_arch,
                                         std::span<PathArgument, kSyscallArgs> out);

/// What `passed`, an argument of kind `base`, is relative to; `dirfd` is the value of its dirfd
/// register (only read for ArgBase::Kind::dirfd; AT_FDCWD means the working directory).
[[nodiscard]] DirectoryNeed directory_needed(ArgBase base, std::string_view passed, int dirfd);

}  // namespace redirect::rules
