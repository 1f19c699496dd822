/* own_seccomp_trace: installs a seccomp filter of its own that returns SECCOMP_RET_TRACE (data
 * 7) for getppid and for openat, then calls both. With no tracer the kernel fails such calls
 * with ENOSYS (seccomp(2)); under a tracer that does not expect the stop they must still fail
 * so, for a tracer must not take another filter's stops as its own.
 * Usage: own_seccomp_trace PATH. Prints "getppid = RESULT" and "openat = RESULT". */
#include "util.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

int main(int argc, char** argv) {
  test_assert(argc == 2);
  struct sock_filter insns[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof insns / sizeof insns[0], insns};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  long r = syscall(SYS_getppid);
  printf("getppid = %s\n", r < 0 ? errno_name(errno) : "ok");
  r = syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY);
  printf("openat = %s\n", r < 0 ? errno_name(errno) : "ok");
  return 0;
}
