/* allowlist: installs a strict seccomp allow-list of its own, as a sandboxed program does, with
 * no mmap in it and SECCOMP_RET_KILL_PROCESS for everything else, and only then opens PATH:
 * a tracer that injects mmap to make scratch memory at that first open gets the program
 * killed. Installed with seccomp(2) or prctl(PR_SET_SECCOMP) (API), so both traps are seen.
 * Usage: allowlist seccomp|prctl PATH; prints "openat = FIRST LINE|ERRNO".
 * Or: allowlist no-mmap-exec PROG ARGS...: a filter that fails every mmap with EPERM, then
 * execs PROG (a static one: a dynamic loader needs mmap) under it, where no mapping made
 * before the exec survives.
 * Or: allowlist filter-exec kill|errno mmap|noreserve|none PROG ARGS...: a filter whose answer
 * to every mmap (mmap), or to an mmap with MAP_NORESERVE only (noreserve: what redirect's
 * scratch mapping uses, and neither the dynamic loader nor malloc does), or to nothing (none: a
 * container's filter that redirect's calls pass), is SECCOMP_RET_KILL_PROCESS (kill) or
 * SECCOMP_RET_ERRNO with EPERM (errno), everything else allowed; then execs PROG under it (PROG
 * may be redirect itself: a program started from a filtered parent). */
#include "util.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define ALLOW(nr)                                  \
  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static char out_buf[4096];

static void no_mmap_exec(char** argv) {
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  execv(argv[0], argv);
  test_assert(!"execv failed");
}

static void filter_exec(const char* action, const char* which, char** argv) {
  const int kill = !strcmp(action, "kill");
  const int noreserve = !strcmp(which, "noreserve");
  const int none = !strcmp(which, "none");
  test_assert(kill || !strcmp(action, "errno"));
  test_assert(noreserve || none || !strcmp(which, "mmap"));
  const unsigned refuse = kill ? SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ERRNO | EPERM;
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 4),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, none ? ~0u : SYS_mmap, 0, 2),
      /* the low half of flags (args[3]), on a little-endian host */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[3])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, noreserve ? MAP_NORESERVE : ~0u, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, refuse),
  };
  /* "mmap": every mmap, whatever its flags (JSET of all bits would miss flags 0). */
  if (!noreserve && !none) code[5] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0);
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  execv(argv[0], argv);
  test_assert(!"execv failed");
}

int main(int argc, char** argv) {
  if (argc >= 3 && !strcmp(argv[1], "no-mmap-exec")) no_mmap_exec(argv + 2);
  if (argc >= 5 && !strcmp(argv[1], "filter-exec")) filter_exec(argv[2], argv[3], argv + 4);
  test_assert(argc == 3);
  const int use_prctl = !strcmp(argv[1], "prctl");
  test_assert(use_prctl || !strcmp(argv[1], "seccomp"));
  setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);  /* no malloc under the filter */
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      ALLOW(SYS_openat),
      ALLOW(SYS_read),
      ALLOW(SYS_write),
      ALLOW(SYS_close),
      ALLOW(SYS_newfstatat),
      ALLOW(SYS_fstat),
      ALLOW(SYS_exit_group),
      ALLOW(SYS_exit),
      ALLOW(SYS_rt_sigreturn),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  if (use_prctl)
    test_assert(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0);
  else
    test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  print_open_result(raw_openat(argv[2], O_RDONLY, 0));
  fflush(stdout);
  return 0;
}
