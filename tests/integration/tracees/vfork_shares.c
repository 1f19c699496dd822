/* vfork_shares: a vfork child shares its parent's memory until it execs or exits (Linux
 * allows the child to store into it; shells and Go's os/exec rely on the sharing), so a store
 * the child makes before _exit is seen by the parent.
 *   vfork_shares vfork   glibc's vfork(); the child stores 42 and calls _exit(0)
 *   vfork_shares clone   clone(CLONE_VM|CLONE_VFORK|SIGCHLD) with no stack of the child's own,
 *                        made in assembly as Go does; the child stores 43 and calls exit
 * Prints "<mode>: parent sees N, child exit 0". x86_64 only (exit 77 elsewhere). */
#include "util.h"

#if defined(__x86_64__)
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static volatile int shared;

static pid_t clone_vfork_storing(volatile int* where) {
  long r;
  __asm__ volatile(
      "xor %%r10d, %%r10d\n\t"
      "xor %%r8d, %%r8d\n\t"
      "mov $56, %%eax\n\t"
      "syscall\n\t"
      "test %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      "movl $43, (%[where])\n\t"
      "mov $60, %%eax\n\t"
      "xor %%edi, %%edi\n\t"
      "syscall\n\t"
      "hlt\n\t"
      "1:\n\t"
      : "=&a"(r)
      : "D"((long)(CLONE_VM | CLONE_VFORK | SIGCHLD)), "S"(0L), "d"(0L), [where] "r"(where)
      : "rcx", "r11", "r10", "r8", "memory");
  return (pid_t)r;
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  pid_t pid;
  if (!strcmp(argv[1], "vfork")) {
    pid = vfork();
    if (pid == 0) {
      shared = 42;
      _exit(0);
    }
  } else {
    test_assert(!strcmp(argv[1], "clone"));
    pid = clone_vfork_storing(&shared);
  }
  test_assert(pid > 0);
  int status;
  test_assert(waitpid(pid, &status, 0) == pid);
  printf("%s: parent sees %d, child exit %d\n", argv[1], shared,
         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
#else
int main(void) { return 77; }
#endif
