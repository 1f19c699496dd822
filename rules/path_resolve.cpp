// resolve_path and directory_needed (see path_resolve.h).
#include "rules/path_resolve.h"

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

std::vector<PathArgument> path_arguments(long nr, std::uint32_t audit_arch) {
  std::vector<PathArgument> out;
  if (nr < 0 || nr >= max_native_nr) return out;
  std::optional<Sys> sys = syscall_from_number(static_cast<int>(nr), audit_arch);
  if (!sys) return out;
  for (unsigned neutral = 0; neutral < kSyscallArgs; ++neutral) {
    ArgBase base = arg_base(*sys, neutral, audit_arch);
    if (is_path(base))
      out.push_back({static_cast<std::uint8_t>(native_arg(*sys, neutral, audit_arch)), base});
  }
  return out;
}

DirectoryNeed directory_needed(ArgBase base, std::string_view passed, int dirfd) {
  if (!is_path(base) || !is_relative_path(passed)) return {};
  if (base.kind == ArgBase::Kind::dirfd && dirfd != at_fdcwd)
    return {DirectoryNeed::Kind::dirfd, dirfd};
  return {DirectoryNeed::Kind::cwd, -1};
}

std::optional<std::string_view> resolve_path(ArgBase base, std::string_view passed,
                                             std::string_view dir, std::span<char> buf) {
  if (!is_path(base)) return passed;
  if (!is_relative_path(passed)) {
    if (!needs_collapse(passed)) return passed;
    std::optional<std::size_t> n = join_path("", passed, buf);
    if (!n) return passed;  // cannot happen: collapsing only shortens
    return std::string_view(buf.data(), *n);
  }
  std::optional<std::size_t> n = join_path(dir, passed, buf);
  if (!n) return std::nullopt;
  return std::string_view(buf.data(), *n);
}

}  // namespace redirect::rules
