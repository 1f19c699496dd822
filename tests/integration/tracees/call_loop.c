/* call_loop: N x getppid and close(-1), made with raw syscalls, each result checked (getppid
 * the parent's pid, close EBADF): calls no rule names, the bulk of what a program makes. With
 * "altstack" it first arms an alternate signal stack, as Go and Rust runtimes do. Prints
 * "N calls". The driver counts, with strace, the system calls made around them.
 * Usage: call_loop N [altstack]. */
#include "util.h"

#include <signal.h>

int main(int argc, char** argv) {
  test_assert(argc == 2 || argc == 3);
  long n = atol(argv[1]);
  if (argc == 3) {
    test_assert(!strcmp(argv[2], "altstack"));
    static char stack[64 * 1024];
    stack_t ss = {.ss_sp = stack, .ss_flags = 0, .ss_size = sizeof stack};
    test_assert(sigaltstack(&ss, NULL) == 0);
  }
  const long parent = getppid();
  for (long i = 0; i < n; ++i) {
    test_assert(syscall(SYS_getppid) == parent);
    test_assert(syscall(SYS_close, -1) == -1 && errno == EBADF);
  }
  printf("%ld calls\n", 2 * n);
  return 0;
}
