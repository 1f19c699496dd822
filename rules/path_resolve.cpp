// directory_needed, arg_base and path_arguments (see path_resolve.h).
#include "rules/path_resolve.h"

#include <array>

#include "rules/path_text.h"
#include "rules/syscall_table.h"

namespace redirect::rules {

ArgBase arg_base(Sys s, unsigned arg, std::uint32_t audit_arch) {
  if (arg >= kSyscallArgs) return {};
  const SyscallInfo& info = syscall_info(s);
  if (!(info.paths & (1u << arg))) return {ArgBase::Kind::not_a_path, 0};
  PathBase b = info.bases.of(arg);
  switch (b.kind) {
    case PathBase::Kind::cwd:
      return {};
    case PathBase::Kind::link:
      return {ArgBase::Kind::link, 0};
    case PathBase::Kind::dirfd:
      return {ArgBase::Kind::dirfd, static_cast<std::uint8_t>(*b.dirfd_on(s, audit_arch))};
    case PathBase::Kind::sockaddr:
      return {ArgBase::Kind::sockaddr, static_cast<std::uint8_t>(*b.dirfd_on(s, audit_arch))};
    case PathBase::Kind::msghdr:
      return {ArgBase::Kind::msghdr, 0};
  }
  return {};
}

std::size_t path_arguments(long nr, std::uint32_t audit_arch,
                           std::span<PathArgument, kSyscallArgs> out) {
  std::size_t n = 0;
  if (nr < 0 || nr >= max_native_nr) return n;
  std::optional<Sys> sys = syscall_from_number(static_cast<int>(nr), audit_arch);
  if (!sys) return n;
  for (unsigned neutral = 0; neutral < kSyscallArgs; ++neutral) {
    ArgBase base = arg_base(*sys, neutral, audit_arch);
    if (is_path(base))
      out[n++] = {static_cast<std::uint8_t>(native_arg(*sys, neutral, audit_arch)), base};
  }
  return n;
}

std::vector<PathArgument> path_arguments(long nr, std::uint32_t audit_arch) {
  std::array<PathArgument, kSyscallArgs> args;
  return {args.begin(), args.begin() + path_arguments(nr, audit_arch, args)};
}

DirectoryNeed directory_needed(ArgBase base, std::string_view passed, int dirfd) {
  if (!is_path(base) || !is_relative_path(passed)) return {};
  if (base.kind == ArgBase::Kind::dirfd && dirfd != at_fdcwd)
    return {DirectoryNeed::Kind::dirfd, dirfd};
  return {DirectoryNeed::Kind::cwd, -1};
}

}  // namespace redirect::rules
