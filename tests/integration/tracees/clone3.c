/* clone3: a fork-like clone3 (flags 0, exit signal SIGCHLD) whose child opens PATH through
 * openat and prints it, then the parent reaps it. clone3 is newer than clone (Linux 5.3) and is
 * what glibc >= 2.34 uses for pthread_create; a tracer must follow its children too.
 * Usage: clone3 PATH. Exits 77 when the kernel has no clone3 (ENOSYS). */
#include "util.h"

#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  test_assert(argc == 2);
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.exit_signal = SIGCHLD;
  fflush(stdout);
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0 && errno == ENOSYS) {
    printf("clone3 = ENOSYS\n");
    return 77;
  }
  test_assert(pid >= 0);
  if (pid == 0) {
    long fd = raw_openat(argv[1], O_RDONLY, 0);
    if (fd < 0) {
      printf("child: open %s = %s\n", argv[1], errno_name((int)-fd));
    } else {
      char buf[256];
      read_all_close((int)fd, buf, sizeof buf);
      printf("child: open %s = %s", argv[1], buf);
    }
    fflush(stdout);
    _exit(0);
  }
  int st;
  test_assert(waitpid((pid_t)pid, &st, 0) == pid);
  test_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("parent: child exited 0\n");
  return 0;
}
