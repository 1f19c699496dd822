// The launcher's steps, in the order that keeps every failure clean: everything that can be
// refused is refused before the first mapping; after map_static_elf only the program's own
// span has changed, and after the hook nothing may make a system call (the runtime is armed
// and the launcher's libc must not trap into it half-way through the jump).
#include "inproc/launcher/launcher.h"

#include <fcntl.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/arch/native_start.h"
#include "inproc/launcher/elf_image.h"
#include "inproc/launcher/initial_stack.h"

namespace redirect::inproc {
namespace {

// The exit statuses of cli/exit_status.h, which the launcher shares with `redirect` itself.
constexpr int exit_tool_failed = 125;
constexpr int exit_cannot_execute = 126;
constexpr int exit_not_found = 127;

// Stack the jump leaves between enter()'s frame and the program's initial frame: room for the
// calls enter() still makes (write_initial_stack, memcpy), which need a few hundred bytes.
constexpr std::size_t stack_gap = 16 * 1024;
// What check_stack_room adds for the difference between its frame and enter()'s.
constexpr std::size_t stack_slack = 16 * 1024;

// Writes "redirect-inproc-exec: PROG: TEXT" as one write(2): stdio's unbuffered stderr would
// put an 8 KiB buffer on a stack that may be nearly exhausted (check_stack_room's refusal).
void say(std::string_view prog, std::string_view text) {
  std::string line = "redirect-inproc-exec: ";
  line.append(prog).append(": ").append(text).append("\n");
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0 && errno != EINTR) return;
    done += n > 0 ? static_cast<std::size_t>(n) : 0;
  }
}

int fail(int status, std::string_view prog, std::string_view why) {
  say(prog, why);
  return status;
}

struct Invocation {
  const char* path = nullptr;
  const char* argv0 = nullptr;  // replaces argv[0] when set
  int first_arg = 0;            // index of the program's argv[0] in main's argv
};

// `LAUNCHER [--argv0 NAME] [--] PROG ARGS...`, or, with exec_variable set, main's argv as it
// is: the program's own, so that /proc/PID/cmdline (the kernel's copy of the exec'd argv)
// shows exactly what the program was exec'd with.
std::optional<Invocation> parse_invocation(int argc, char** argv) {
  Invocation inv;
  if (const char* path = std::getenv(exec_variable)) {
    inv.path = path;
    return inv;
  }
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      ++i;
      break;
    }
    if (std::strcmp(argv[i], "--argv0") != 0 || i + 1 >= argc) return std::nullopt;
    inv.argv0 = argv[++i];
  }
  if (i >= argc) return std::nullopt;
  inv.path = argv[i];
  inv.first_arg = i;
  return inv;
}

// The program's environment: the launcher's without exec_variable.
std::vector<char*> program_environment(char** envp) {
  const std::size_t name_len = std::strlen(exec_variable);
  std::vector<char*> out;
  for (char** e = envp; *e; ++e)
    if (std::strncmp(*e, exec_variable, name_len) != 0 || (*e)[name_len] != '=') out.push_back(*e);
  return out;
}

// Opens PROG as execve would find it: no PATH search, a regular file with execute permission.
// Returns -1 with the exit status and errno text otherwise.
int open_program(const char* path, int& status, std::string& why) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  int err = fd < 0 ? errno : 0;
  struct stat st {};
  if (err == 0 && fstat(fd, &st) != 0) err = errno;
  if (err == 0 && !S_ISREG(st.st_mode)) err = EACCES;
  if (err == 0 && faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0) err = errno;
  if (err == 0) return fd;
  if (fd >= 0) close(fd);
  status = err == ENOENT || err == ENOTDIR ? exit_not_found : exit_cannot_execute;
  why = std::strerror(err);
  return -1;
}

ElfCheck check_program(int fd) {
  struct stat st {};
  fstat(fd, &st);
  FileBytes file{.read =
                     [fd](std::uint64_t off, void* out, std::size_t n) {
                       return pread(fd, out, n, static_cast<off_t>(off)) == static_cast<ssize_t>(n);
                     },
                 .size = static_cast<std::uint64_t>(st.st_size)};
  return check_static_elf(file, arch::native_start::elf_machine,
                          static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)));
}

// The launcher's own image (the first object dl_iterate_phdr reports is the executable).
AddressRange launcher_range() {
  AddressRange range{~std::uintptr_t{0}, 0};
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        auto* r = static_cast<AddressRange*>(data);
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_LOAD) continue;
          r->begin = std::min<std::uintptr_t>(r->begin, info->dlpi_addr + ph.p_vaddr);
          r->end = std::max<std::uintptr_t>(r->end, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
        return 1;
      },
      &range);
  return range;
}

// What the kernel's exec would have set and an unprivileged launcher can: comm is the
// basename of the path, cut to 15 bytes (fs/exec.c __set_task_comm(kbasename(filename))).
// /proc/self/exe needs CAP_SYS_RESOURCE and no remaining mapping of the launcher's file
// (kernel/fork.c replace_mm_exe_file returns EBUSY), which the runtime's own pages are: the
// attempt costs one prctl and keeps the launcher's path when refused (docs/inproc.md).
void look_like_exec(const char* path, int fd) {
  const char* base = std::strrchr(path, '/');
  prctl(PR_SET_NAME, base ? base + 1 : path, 0, 0, 0);
  prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0);
}

// An exec would switch to the file's owner or group; the launcher cannot, so it says so
// rather than run the program with other credentials than it expects without a word.
void warn_if_set_id(const char* path, int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return;
  const bool uid = (st.st_mode & S_ISUID) && st.st_uid != geteuid();
  const bool gid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != getegid();
  if (uid || gid)
    say(path, fmt::format("notice: it is set-{}-ID: it runs with the caller's credentials, not "
                          "its owner's",
                          uid ? "user" : "group"));
}

// glibc registered the launcher's main thread for restartable sequences; the kernel allows one
// area per thread, so the program's libc could not register its own unless ours is released.
void release_rseq() {
  if (__rseq_size == 0) return;
  auto* area = reinterpret_cast<char*>(__builtin_thread_pointer()) + __rseq_offset;
  syscall(SYS_rseq, area, __rseq_size < 32 ? 32 : __rseq_size, RSEQ_FLAG_UNREGISTER,
          arch::native_start::rseq_signature);
}

std::array<std::uint8_t, 16> fresh_random() {
  std::array<std::uint8_t, 16> bytes{};
  if (getrandom(bytes.data(), bytes.size(), GRND_NONBLOCK) != static_cast<ssize_t>(bytes.size()))
    std::memcpy(bytes.data(), reinterpret_cast<const void*>(getauxval(AT_RANDOM)), bytes.size());
  return bytes;
}

std::span<const AuxEntry> own_auxv(char** envp) {
  while (*envp) ++envp;
  const auto* first = reinterpret_cast<const AuxEntry*>(envp + 1);
  std::size_t n = 0;
  while (first[n].type != AT_NULL) ++n;
  return {first, n};
}

// The initial frame goes on the same [stack] mapping, below everything the launcher used; with
// a stack limit too small for that, the first write would fault after the runtime is armed.
// The top of the stack is just above the launcher's own AT_EXECFN string (the kernel copies
// the file name there first, fs/exec.c). Returns why not when it would not fit.
std::optional<std::string> check_stack_room(std::size_t frame) {
  rlimit limit{};
  if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  std::byte here;
  const auto* execfn = reinterpret_cast<const char*>(getauxval(AT_EXECFN));
  if (execfn == nullptr) return std::nullopt;
  const std::uintptr_t top = reinterpret_cast<std::uintptr_t>(execfn) + std::strlen(execfn) + 1;
  const std::uintptr_t lowest =
      reinterpret_cast<std::uintptr_t>(&here) - stack_slack - stack_gap - frame;
  if (top - lowest <= limit.rlim_cur) return std::nullopt;
  return fmt::format(
      "the stack limit (ulimit -s) of {} KiB leaves no room for its initial stack, which "
      "the launcher builds below its own ({} KiB needed)",
      limit.rlim_cur / 1024, (top - lowest + 1023) / 1024);
}

// Builds the frame below the caller's frames and jumps; no allocation, no system call.
[[noreturn]] void enter(const StackFacts& facts) {
  std::byte here;
  const auto below = reinterpret_cast<std::uintptr_t>(&here) - stack_gap;
  const std::size_t size = initial_stack_size(facts);
  const std::uintptr_t sp =
      write_initial_stack({reinterpret_cast<std::byte*>(below - size), size}, facts);
  arch::native_start::enter_program(sp, facts.image.entry);
}

// Checks and maps the open PROG; prints why not (exit status 126) when it cannot.
std::optional<LoadedImage> map_checked(int fd, const char* path) {
  const ElfCheck check = check_program(fd);
  std::optional<std::string> bad;
  if (!check.image) {
    bad = check.why;
  } else if (check.image->executable_stack) {
    // The kernel would make the whole stack executable; the launcher's stack is shared with
    // the launcher and its runtime, so such a program is refused rather than run differently.
    bad =
        "it needs an executable stack (PT_GNU_STACK with PF_X), which this launcher does not give";
  } else {
    bad = check_clear_of(*check.image, launcher_range());
  }
  if (!bad) {
    LoadResult load = map_static_elf(fd, *check.image);
    if (load.loaded) return load.loaded;
    bad = load.why;
  }
  fail(exit_cannot_execute, path, *bad);
  return std::nullopt;
}

// Opens, checks and maps PROG, then makes it look exec'd; prints why not and sets `status`.
std::optional<LoadedImage> load_program(const char* path, int& status) {
  std::string why;
  const int fd = open_program(path, status, why);
  if (fd < 0) {
    fail(status, path, why);
    return std::nullopt;
  }
  status = exit_cannot_execute;
  std::optional<LoadedImage> loaded = map_checked(fd, path);
  if (loaded) {
    warn_if_set_id(path, fd);
    look_like_exec(path, fd);
  }
  close(fd);
  return loaded;
}

}  // namespace

int launch(int argc, char** argv, char** envp, ArmHook arm) {
  const auto inv = parse_invocation(argc, argv);
  if (!inv)
    return fail(exit_tool_failed, "usage", "redirect-inproc-exec [--argv0 NAME] [--] PROG ARGS...");
  int status = 0;
  const std::optional<LoadedImage> loaded = load_program(inv->path, status);
  if (!loaded) return status;

  char** prog_argv = argv + inv->first_arg;
  if (inv->argv0) prog_argv[0] = const_cast<char*>(inv->argv0);
  const std::vector<char*> prog_envp = program_environment(envp);
  const StackFacts facts{.argv = {prog_argv, static_cast<std::size_t>(argc - inv->first_arg)},
                         .envp = prog_envp,
                         .inherited = own_auxv(envp),
                         .image = *loaded,
                         .execfn = inv->path,
                         .random = fresh_random()};
  if (auto bad = check_stack_room(initial_stack_size(facts)))
    return fail(exit_cannot_execute, inv->path, *bad);
  release_rseq();
  const LaunchedProgram program{
      .path = inv->path, .argv = facts.argv, .envp = facts.envp, .image = *loaded};
  if (auto bad = arm(program))
    return fail(exit_tool_failed, inv->path, "cannot arm the in-process runtime: " + *bad);
  enter(facts);
}

}  // namespace redirect::inproc
