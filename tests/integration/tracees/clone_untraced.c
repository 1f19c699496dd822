/* clone_untraced: a fork made with clone(CLONE_UNTRACED | SIGCHLD) (or with clone3 and
 * CLONE_UNTRACED in its flags, given "clone3"), which tells the kernel not to attach the child
 * to the parent's tracer even with PTRACE_O_TRACEFORK. The child opens PATH with openat and
 * prints the result; the parent reaps it. Usage: clone_untraced PATH [clone3]. Exits 77 when
 * clone3 is asked for and the kernel has none. */
#include "util.h"

#include <linux/sched.h>
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  test_assert(argc == 2 || argc == 3);
  fflush(stdout);
  long pid;
  if (argc == 3 && !strcmp(argv[2], "clone3")) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_UNTRACED;
    args.exit_signal = SIGCHLD;
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid < 0 && errno == ENOSYS) return 77;
  } else {
    pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, NULL, NULL, 0);
  }
  test_assert(pid >= 0);
  if (pid == 0) {
    long fd = raw_openat(argv[1], O_RDONLY, 0);
    if (fd < 0) {
      printf("child: open = %s\n", errno_name((int)-fd));
    } else {
      char buf[256];
      size_t len = read_all_close((int)fd, buf, sizeof buf);
      while (len > 0 && buf[len - 1] == '\n') buf[--len] = '\0';
      printf("child: open = %s\n", buf);
    }
    fflush(stdout);
    _exit(0);
  }
  int st;
  test_assert(waitpid((pid_t)pid, &st, 0) == pid);
  printf("parent: child %s %d\n", WIFEXITED(st) ? "exited" : "signaled",
         WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
  return 0;
}
