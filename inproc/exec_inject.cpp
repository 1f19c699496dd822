// exec_with_runtime (see exec_inject.h). The new environment array is mmap'ed (the program's
// can be long) and unmapped when the exec fails; its strings are the program's and ours.
#include "inproc/exec_inject.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <string_view>

#include "inproc/notice.h"
#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

std::string_view key_of(std::string_view entry) { return entry.substr(0, entry.find('=') + 1); }

// The program's string at `e`, at most `limit` bytes of it (no libc in the handler).
std::string_view bounded(const char* e, std::size_t limit) {
  std::size_t n = 0;
  while (n < limit && e[n] != '\0') ++n;
  return {e, n};
}

// The environment array at `envp`, counted; nullopt when it cannot be read.
std::optional<std::size_t> count_entries(char* const* envp) {
  std::size_t n = 0;
  for (;; ++n) {
    if (!readable(envp + n, sizeof(char*))) return std::nullopt;
    if (envp[n] == nullptr) return n;
  }
}

// Whether `envp` holds exactly our two entries.
bool has_ours(const Runtime& rt, char* const* envp, std::size_t n) {
  bool audit = false, config = false;
  for (std::size_t i = 0; i < n; ++i) {
    const char* e = envp[i];
    if (!readable(e, 1)) continue;
    audit |= bounded(e, rt.ld_audit_entry.size() + 1) == rt.ld_audit_entry;
    config |= bounded(e, rt.config_entry.size() + 1) == rt.config_entry;
  }
  return audit && config;
}

// Why the program at (dirfd, path) will not load the library, or null when it will (as far
// as we can tell: unreadable, a script or an unknown format is left to the kernel).
const char* why_unreachable(int dirfd, const char* path, int at_flags) {
  const int nofollow = (at_flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0;
  const long fd = raw_syscall(SYS_openat, dirfd, path, O_RDONLY | O_CLOEXEC | nofollow, 0);
  if (fd < 0) return nullptr;
  struct stat st;
  if (raw_syscall(SYS_fstat, fd, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID))) {
    raw_syscall(SYS_close, fd);
    // The dynamic loader ignores LD_AUDIT in secure mode.
    return "set-user-ID or set-group-ID program";
  }
  Elf64_Ehdr eh;
  bool is_static = false;
  if (raw_syscall(SYS_pread64, fd, &eh, sizeof eh, 0) == sizeof eh &&
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
      (eh.e_type == ET_EXEC || eh.e_type == ET_DYN) && eh.e_phentsize == sizeof(Elf64_Phdr)) {
    is_static = true;
    for (unsigned i = 0; i < eh.e_phnum && is_static; ++i) {
      Elf64_Phdr ph;
      if (raw_syscall(SYS_pread64, fd, &ph, sizeof ph, eh.e_phoff + i * sizeof ph) != sizeof ph)
        is_static = false;
      else if (ph.p_type == PT_INTERP)
        is_static = false;
    }
  }
  raw_syscall(SYS_close, fd);
  return is_static ? "static program (the in-process backend reaches it only through the "
                     "static launcher, not built yet)"
                   : nullptr;
}

}  // namespace

long exec_with_runtime(const Runtime& rt, CallArgs& call) {
  const bool at = call.nr == SYS_execveat;
  const int env_arg = at ? 3 : 2;
  const char* path = reinterpret_cast<const char*>(call.args[at ? 1 : 0]);
  const int dirfd = at ? static_cast<int>(call.args[0]) : AT_FDCWD;
  const int at_flags = at ? static_cast<int>(call.args[4]) : 0;
  if (const char* why = readable(path, 1) ? why_unreachable(dirfd, path, at_flags) : nullptr) {
    char pid[24];
    notice(rt, {"pid ", decimal(raw_syscall(SYS_getpid), pid), ": ", path,
                " runs unredirected: ", why});
  }
  auto* envp = reinterpret_cast<char* const*>(call.args[env_arg]);
  std::optional<std::size_t> n = envp == nullptr ? std::optional<std::size_t>(0)
                                                 : count_entries(envp);
  if (!n) return raw_syscall(call.nr, call.args[0], call.args[1], call.args[2], call.args[3],
                             call.args[4], call.args[5]);  // the kernel answers EFAULT
  if (envp != nullptr && has_ours(rt, envp, *n))
    return raw_syscall(call.nr, call.args[0], call.args[1], call.args[2], call.args[3],
                       call.args[4], call.args[5]);
  const std::size_t bytes = (*n + 3) * sizeof(char*);
  const long mem = raw_syscall(SYS_mmap, 0, bytes, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem < 0 && mem > -4096) return mem;  // ENOMEM, as exec itself would say
  auto** fixed = reinterpret_cast<const char**>(mem);
  std::size_t m = 0;
  const std::string_view audit_key = key_of(rt.ld_audit_entry), config_key = key_of(rt.config_entry);
  for (std::size_t i = 0; i < *n; ++i) {
    const char* e = envp[i];
    if (readable(e, 1)) {
      const std::string_view s = bounded(e, std::max(audit_key.size(), config_key.size()));
      if (s.starts_with(audit_key) || s.starts_with(config_key)) continue;
    }
    fixed[m++] = e;
  }
  fixed[m++] = rt.ld_audit_entry.c_str();
  fixed[m++] = rt.config_entry.c_str();
  fixed[m] = nullptr;
  call.args[env_arg] = mem;
  const long r = raw_syscall(call.nr, call.args[0], call.args[1], call.args[2], call.args[3],
                             call.args[4], call.args[5]);
  raw_syscall(SYS_munmap, mem, bytes);
  return r;
}

}  // namespace redirect::inproc
