// exec_with_runtime (see exec_inject.h). The new environment array is built on the handler's
// private stack, or, for one too long for it, in an mapping unmapped when the exec fails; its
// strings are the program's and ours, and for a static program the REDIRECT_INPROC_EXEC
// entry, written after the array in the same memory. No mmap once the program has installed
// a seccomp filter (program_filter.h): the filter may kill the process for it, where the
// program's own exec would have run.
#include "inproc/exec_inject.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <string_view>

#include "inproc/launched_program.h"
#include "inproc/launcher/launcher.h"
#include "inproc/notice.h"
#include "inproc/program_filter.h"
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

// What an exec'd file is, as far as we can tell (unreadable, a script or an unknown format is
// left to the kernel: `dynamic`).
enum class ExecKind { dynamic, static_program, set_id };

// The kind of the file open on `fd`.
ExecKind kind_of(int fd) {
  struct stat st;
  // The dynamic loader ignores LD_AUDIT in secure mode, and the launcher cannot give privilege.
  if (raw_syscall(SYS_fstat, fd, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID))) return ExecKind::set_id;
  Elf64_Ehdr eh;
  if (raw_syscall(SYS_pread64, fd, &eh, sizeof eh, 0) != sizeof eh ||
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) || eh.e_phentsize != sizeof(Elf64_Phdr))
    return ExecKind::dynamic;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (raw_syscall(SYS_pread64, fd, &ph, sizeof ph, eh.e_phoff + i * sizeof ph) != sizeof ph ||
        ph.p_type == PT_INTERP)
      return ExecKind::dynamic;
  }
  return ExecKind::static_program;
}

// The kind of the program exec would run: (dirfd, path), or the file on dirfd itself for
// execveat(AT_EMPTY_PATH) with an empty path (fexecve), read again through /proc/self/fd
// because that descriptor may be O_PATH.
ExecKind kind_of(int dirfd, const char* path, int at_flags) {
  const int nofollow = (at_flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0;
  char own[48] = "/proc/self/fd/";
  if ((at_flags & AT_EMPTY_PATH) && path[0] == '\0') {
    char digits[24];
    const std::string_view n = decimal(dirfd, digits);
    std::memcpy(own + 14, n.data(), n.size());
    path = own;
    dirfd = AT_FDCWD;
  }
  const long fd = raw_syscall(SYS_openat, dirfd, path, O_RDONLY | O_CLOEXEC | nofollow, 0);
  if (fd < 0) return ExecKind::dynamic;
  const ExecKind kind = kind_of(static_cast<int>(fd));
  raw_syscall(SYS_close, fd);
  return kind;
}

// Why a static program exec'd this way escapes the launcher, or null when it can go through
// it: the launcher opens REDIRECT_INPROC_EXEC by path after the exec, relative to the cwd.
const char* why_not_launched(const Runtime& rt, int dirfd, const char* path, int at_flags) {
  if (rt.config.launcher.empty()) return "static program, and redirect found no launcher";
  // The launcher maps the program with mmap, which the kernel's own loading does not call.
  if (program_installed_filter())
    return "static program, and the seccomp filter the program installed may refuse the mmap "
           "the launcher loads it with";
  // After a chroot the launcher's path names nothing: the exec would fail with ENOENT where
  // the program runs natively, so it runs unredirected instead (and is said).
  if (raw_syscall(SYS_faccessat, AT_FDCWD, rt.config.launcher.c_str(), X_OK, 0) != 0)
    return "static program, and the launcher cannot be reached from this process's root "
           "(a chroot)";
  if ((at_flags & AT_EMPTY_PATH) && path[0] == '\0')
    return "static program exec'd by descriptor (fexecve, execveat with AT_EMPTY_PATH): the "
           "launcher needs its path";
  if (dirfd != AT_FDCWD && path[0] != '/')
    return "static program exec'd relative to a directory descriptor (execveat): the launcher "
           "needs a path that holds after the exec";
  return nullptr;
}

long reissue(const CallArgs& call) {
  return raw_syscall(call.nr, call.args[0], call.args[1], call.args[2], call.args[3],
                     call.args[4], call.args[5]);
}

// How `call` will run the program: `launch` set when it goes through the launcher (the
// program's path is then in `launch`), a notice when it runs unredirected.
void classify(const Runtime& rt, const CallArgs& call, const char*& launch) {
  const bool at = call.nr == SYS_execveat;
  const char* path = reinterpret_cast<const char*>(call.args[at ? 1 : 0]);
  const int dirfd = at ? static_cast<int>(call.args[0]) : AT_FDCWD;
  const int at_flags = at ? static_cast<int>(call.args[4]) : 0;
  launch = nullptr;
  if (!readable(path, 1)) return;
  const ExecKind kind = kind_of(dirfd, path, at_flags);
  const char* why = kind == ExecKind::set_id ? "set-user-ID or set-group-ID program" : nullptr;
  if (kind == ExecKind::static_program) {
    why = why_not_launched(rt, dirfd, path, at_flags);
    if (why == nullptr) launch = path;
  }
  if (why == nullptr) return;
  char pid[24], fd[24];
  const bool by_fd = (at_flags & AT_EMPTY_PATH) && path[0] == '\0';
  notice(rt, {"pid ", decimal(raw_syscall(SYS_getpid), pid), ": ", by_fd ? "the program on descriptor " : path,
              by_fd ? decimal(dirfd, fd) : "", " runs unredirected: ", why});
}

// A launched program's exec of its own /proc/PID/exe starts the program again, not the
// launcher that file names.
void map_own_exe(CallArgs& call) {
  const int path_arg = call.nr == SYS_execveat ? 1 : 0;
  const char* path = reinterpret_cast<const char*>(call.args[path_arg]);
  if (launched_program() == nullptr || !readable(path, 1) ||
      !names_own_exe(bounded(path, 64)) || path[bounded(path, 64).size()] != '\0')
    return;
  call.args[path_arg] = reinterpret_cast<long>(launched_program());
}

// "REDIRECT_INPROC_EXEC=": the launcher's exec form.
std::string_view exec_entry_key() {
  static constexpr std::string_view key = "REDIRECT_INPROC_EXEC=";
  static_assert(key.substr(0, key.size() - 1) == std::string_view(exec_variable));
  return key;
}

// The program's environment entries into `out`, but ours (put back after them); returns how
// many.
std::size_t copy_theirs(const Runtime& rt, char* const* envp, std::size_t n, const char** out) {
  const std::string_view audit_key = key_of(rt.ld_audit_entry), config_key = key_of(rt.config_entry);
  const std::size_t longest = std::max({audit_key.size(), config_key.size(), exec_entry_key().size()});
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char* e = envp[i];
    if (readable(e, 1)) {
      const std::string_view s = bounded(e, longest);
      if (s.starts_with(audit_key) || s.starts_with(config_key) || s.starts_with(exec_entry_key()))
        continue;
    }
    out[m++] = e;
  }
  return m;
}

// The exec now runs the launcher (an absolute path); argv stays the program's.
void route_to_launcher(const Runtime& rt, CallArgs& call) {
  if (call.nr == SYS_execveat) {
    call.args[0] = AT_FDCWD;
    call.args[1] = reinterpret_cast<long>(rt.config.launcher.c_str());
    call.args[4] = 0;
  } else {
    call.args[0] = reinterpret_cast<long>(rt.config.launcher.c_str());
  }
}

// Room on the private stack (thread_stacks.h: 2 MiB) for the new environment array: 8,192
// entries, far more than most programs have, beside the call's RewriteBuffers (~80 KiB) and
// those of the traps a signal handler may nest below it while a re-issued call blocks.
constexpr std::size_t kStackEnvBytes = 64 * 1024;

// Memory of `bytes` for the new environment array: `on_stack` when it fits, else a mapping
// (`mapped` set), else null: none may be had without an mmap the program's filter may kill for,
// or the mmap failed.
char* env_memory(std::size_t bytes, char* on_stack, bool& mapped) {
  mapped = false;
  if (bytes <= kStackEnvBytes) return on_stack;
  if (program_installed_filter()) return nullptr;
  const long mem = raw_syscall(SYS_mmap, 0, bytes, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem < 0 && mem > -4096) return nullptr;
  mapped = true;
  return reinterpret_cast<char*>(mem);
}

// The exec made as the program made it, said: no memory for our environment entries.
long unredirected(const Runtime& rt, const CallArgs& call, std::size_t entries) {
  char pid[24], n[24];
  notice(rt, {"pid ", decimal(raw_syscall(SYS_getpid), pid), ": an exec runs unredirected: its ",
              decimal(static_cast<long>(entries), n),
              " environment entries do not fit the runtime's copy (out of memory, or a seccomp "
              "filter of the program's may refuse the mmap)"});
  return reissue(call);
}

}  // namespace

long exec_with_runtime(const Runtime& rt, CallArgs& call) {
  map_own_exe(call);
  const char* launch = nullptr;
  classify(rt, call, launch);
  const int env_arg = call.nr == SYS_execveat ? 3 : 2;
  auto* envp = reinterpret_cast<char* const*>(call.args[env_arg]);
  std::optional<std::size_t> n = envp == nullptr ? std::optional<std::size_t>(0)
                                                 : count_entries(envp);
  if (!n) return reissue(call);  // the kernel answers EFAULT
  if (launch == nullptr && envp != nullptr && has_ours(rt, envp, *n)) return reissue(call);
  const std::string_view exec_key = exec_entry_key();
  const std::size_t launch_len = launch ? exec_key.size() + bounded(launch, 4096).size() + 1 : 0;
  const std::size_t bytes = (*n + 4) * sizeof(char*) + launch_len;
  alignas(16) char on_stack[kStackEnvBytes];  // uninitialised: only what is written is used
  bool mapped = false;
  char* mem = env_memory(bytes, on_stack, mapped);
  if (mem == nullptr) return unredirected(rt, call, *n);
  auto** fixed = reinterpret_cast<const char**>(mem);
  std::size_t m = copy_theirs(rt, envp, *n, fixed);
  fixed[m++] = rt.ld_audit_entry.c_str();
  fixed[m++] = rt.config_entry.c_str();
  if (launch) {
    char* entry = mem + (*n + 4) * sizeof(char*);
    std::memcpy(entry, exec_key.data(), exec_key.size());
    std::memcpy(entry + exec_key.size(), launch, launch_len - exec_key.size());
    entry[launch_len - 1] = '\0';
    fixed[m++] = entry;
    route_to_launcher(rt, call);
  }
  fixed[m] = nullptr;
  call.args[env_arg] = reinterpret_cast<long>(mem);
  const long r = reissue(call);
  if (mapped) raw_syscall(SYS_munmap, mem, bytes);
  return r;
}

}  // namespace redirect::inproc
