/* no_ptrace: runs PROG ARGS under a seccomp filter that makes ptrace(2) fail with EPERM, as a
 * container's default seccomp profile or Yama do, so a driver can see how redirect reports a
 * machine where tracing is refused. With --no-process-vm-readv, process_vm_readv(2) fails
 * with EPERM too, as under snapd's seccomp template, which lists neither.
 * Usage: no_ptrace [--no-process-vm-readv] PROG ARGS... */
#include "util.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_I386
#endif

int main(int argc, char** argv) {
  const int no_vm_readv = argc >= 2 && !strcmp(argv[1], "--no-process-vm-readv");
  argv += no_vm_readv;
  argc -= no_vm_readv;
  test_assert(argc >= 2);
  /* Without the option the second test is ptrace again. */
  const unsigned second = no_vm_readv ? SYS_process_vm_readv : SYS_ptrace;
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 1, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, second, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof code / sizeof code[0], code};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
  execvp(argv[1], argv + 1);
  test_assert(!"execvp failed");
}
