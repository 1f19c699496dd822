// The table of follows_last_link() (see last_link.h). Flag values are the kernel's uapi ones;
// O_NOFOLLOW is the only one that differs between the architectures we compile for.
#include "rules/last_link.h"

#include <linux/audit.h>

namespace redirect::rules {
namespace {

constexpr std::uint64_t o_creat = 0100, o_excl = 0200;
constexpr std::uint64_t at_symlink_nofollow = 0x100, at_symlink_follow = 0x400;
constexpr std::uint64_t in_dont_follow = 0x02000000;

std::uint64_t o_nofollow(std::uint32_t audit_arch) {
  return audit_arch == AUDIT_ARCH_AARCH64 ? 0100000 : 0400000;
}

// An open's flags: O_NOFOLLOW, or O_CREAT|O_EXCL (which fails on any existing name), act on
// the last component itself.
bool open_follows(std::uint64_t flags, std::uint32_t audit_arch) {
  if (flags & o_nofollow(audit_arch)) return false;
  return (flags & (o_creat | o_excl)) != (o_creat | o_excl);
}

}  // namespace

bool follows_last_link(Sys sys, unsigned arg, std::span<const std::uint64_t> args,
                       std::uint32_t audit_arch) {
  auto a = [&](unsigned i) { return i < args.size() ? args[i] : 0; };
  switch (sys) {
    case Sys::open:
      return open_follows(a(1), audit_arch);
    case Sys::openat:
      return open_follows(a(2), audit_arch);
    case Sys::creat: case Sys::stat: case Sys::stat64: case Sys::oldstat: case Sys::access:
    case Sys::faccessat: case Sys::chdir: case Sys::chroot: case Sys::execve:
    case Sys::truncate: case Sys::truncate64: case Sys::chmod: case Sys::fchmodat:
    case Sys::chown: case Sys::chown32: case Sys::utime: case Sys::utimes: case Sys::futimesat:
    case Sys::getxattr: case Sys::setxattr: case Sys::listxattr: case Sys::removexattr:
    case Sys::statfs: case Sys::statfs64: case Sys::uselib: case Sys::swapon: case Sys::acct:
    case Sys::connect: case Sys::sendto: case Sys::sendmsg:
      return true;
    case Sys::newfstatat: case Sys::fstatat64: case Sys::faccessat2: case Sys::fchmodat2:
    case Sys::utimensat: case Sys::utimensat_time64:
      return !(a(3) & at_symlink_nofollow);
    case Sys::statx:
      return !(a(2) & at_symlink_nofollow);
    case Sys::fchownat: case Sys::execveat:
      return !(a(4) & at_symlink_nofollow);
    case Sys::linkat:  // the existing name only, and only when asked
      return arg == 1 && (a(4) & at_symlink_follow);
    case Sys::name_to_handle_at:
      return (a(4) & at_symlink_follow) != 0;
    case Sys::inotify_add_watch:
      return !(a(2) & in_dont_follow);
    default:
      return false;
  }
}

}  // namespace redirect::rules
