/* engine_no_seccomp PROG ARGS...: runs PROG where installing a seccomp filter fails with
 * EINVAL (seccomp(2) and prctl(PR_SET_SECCOMP) are answered EINVAL by a filter of ours, as on
 * a kernel built without CONFIG_SECCOMP_FILTER), so a driver can check that redirect falls
 * back to --mode ptrace and says so. */
#include "util.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_seccomp, 3, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 3),
      /* prctl: only PR_SET_SECCOMP fails */
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  execvp(argv[1], argv + 1);
  test_assert(!"execvp failed");
}
