/* W3: N x getppid(), a syscall no rule names, so under a seccomp filter it never stops: what is
 * measured is the filter's own cost on every syscall (and, under PTRACE_SYSCALL, two stops
 * each). Raw syscall() so libc cannot cache or skip it. Usage: getppid N */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: getppid N\n");
    return 2;
  }
  long n = atol(argv[1]), parent = syscall(SYS_getppid);
  for (long i = 1; i < n; ++i)
    if (syscall(SYS_getppid) != parent) return 1;
  printf("getppid %ld\n", n);
  return 0;
}
