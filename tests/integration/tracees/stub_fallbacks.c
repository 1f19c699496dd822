/* stub_fallbacks: the cases where redirect's return stub must not be used and rewrites take
 * two stops again. Usage: stub_fallbacks MODE PATH N; prints what happened.
 *   filter  one rewritten openat, then a seccomp filter of the program's own that lets openat
 *           through only from the instruction after its own `syscall` (EXDEV from anywhere
 *           else), then N more: the kernel runs the filters again after a tracer's seccomp
 *           stop, with the tracer's registers, so a stub's address would fail them.
 *   mdwe    prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN) first ("mdwe: unsupported" where the
 *           kernel has none), then N rewritten openat: no anonymous memory may become
 *           executable, so there is no stub.
 * Elsewhere than x86_64 it exits 77. */
#include "util.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#if defined(__x86_64__)
/* openat(AT_FDCWD, path, O_RDONLY) from one fixed instruction, whose end is `fixed_ip`. */
long fixed_openat(const char* path);
extern const char fixed_ip[];
__asm__(
    ".text\n"
    ".globl fixed_openat\n"
    ".globl fixed_ip\n"
    "fixed_openat:\n"
    "  mov %rdi, %rsi\n"
    "  mov $-100, %rdi\n"
    "  xor %edx, %edx\n"
    "  mov $257, %eax\n"
    "  syscall\n"
    "fixed_ip:\n"
    "  ret\n");

static void install_ip_filter(void) {
  const unsigned long ip = (unsigned long)fixed_ip;
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)ip, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, instruction_pointer) + 4),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(ip >> 32), 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
}

/* N opens of `path` from the fixed instruction; 0 when each read "real". */
static int opens(const char* path, long n, const char* what) {
  for (long i = 0; i < n; ++i) {
    long fd = fixed_openat(path);
    if (fd < 0) {
      printf("%s: open %ld = %s\n", what, i, errno_name((int)-fd));
      return 1;
    }
    char buf[16];
    read_all_close((int)fd, buf, sizeof buf);
    if (strcmp(buf, "real\n") != 0) {
      printf("%s: read %s\n", what, buf);
      return 1;
    }
  }
  printf("%s: ok\n", what);
  return 0;
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  const char* path = argv[2];
  const long n = atol(argv[3]);
  if (!strcmp(argv[1], "filter")) {
    if (opens(path, 1, "before the filter")) return 1;
    install_ip_filter();
    return opens(path, n, "under the filter");
  }
  test_assert(!strcmp(argv[1], "mdwe"));
  if (prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0, 0, 0) != 0) {
    printf("mdwe: unsupported\n");
    return 0;
  }
  return opens(path, n, "under mdwe");
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
