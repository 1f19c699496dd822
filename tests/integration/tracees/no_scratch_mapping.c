/* no_scratch_mapping: refuses, with a seccomp filter of its own, every mmap whose flags hold
 * MAP_NORESERVE (ENOMEM), which is how redirect maps its scratch memory; its own allocations
 * do not use that flag. Then execs itself, so that the filter is older than the image (a
 * tracer may map its memory before a filter is installed, but no mapping survives execve),
 * and opens SHORT and LONG with openat.
 * Usage: no_scratch_mapping SHORT LONG. Prints "short = RESULT" and "long = RESULT" (the
 * file's first line or an errno name). */
#include "util.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>

static void open_and_print(const char* what, const char* path) {
  long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  if (fd < 0) {
    printf("%s = %s\n", what, errno_name(errno));
    return;
  }
  char buf[256];
  read_all_close((int)fd, buf, sizeof buf);
  buf[strcspn(buf, "\n")] = 0;
  printf("%s = %s\n", what, buf);
}

int main(int argc, char** argv) {
  if (argc == 4 && !strcmp(argv[1], "--filtered")) {
    open_and_print("short", argv[2]);
    open_and_print("long", argv[3]);
    return 0;
  }
  test_assert(argc == 3);
  struct sock_filter insns[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[3])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_NORESERVE, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOMEM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof insns / sizeof insns[0], insns};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  char* again[] = {argv[0], "--filtered", argv[1], argv[2], NULL};
  execv("/proc/self/exe", again);
  test_assert(!"execv failed");
}
