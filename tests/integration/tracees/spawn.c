/* spawn: starts a program the three ways libc offers besides a bare execve, so the driver can
 * check each is followed and has its path rewritten:
 *   spawn posix_spawn PATH ARGS...   (glibc: clone(CLONE_VM|CLONE_VFORK) + execve)
 *   spawn system COMMAND             (fork or vfork + /bin/sh -c COMMAND)
 *   spawn vfork PATH ARGS...         (vfork + execve in the child, which exits 127 on failure)
 * Prints "MODE = RESULT", RESULT being the child's exit status or the errno name. */
#include "util.h"

#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

static void print_status(const char* mode, int st) {
  if (WIFEXITED(st))
    printf("%s = exit %d\n", mode, WEXITSTATUS(st));
  else
    printf("%s = signal %d\n", mode, WTERMSIG(st));
}

int main(int argc, char** argv) {
  test_assert(argc >= 3);
  const char* mode = argv[1];
  int st;
  if (!strcmp(mode, "posix_spawn")) {
    pid_t pid;
    int r = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (r != 0) {
      printf("%s = %s\n", mode, errno_name(r));
      return 0;
    }
    test_assert(waitpid(pid, &st, 0) == pid);
    print_status(mode, st);
  } else if (!strcmp(mode, "system")) {
    fflush(stdout);
    st = system(argv[2]);
    test_assert(st != -1);
    print_status(mode, st);
  } else if (!strcmp(mode, "vfork")) {
    fflush(stdout);
    pid_t pid = vfork();
    test_assert(pid >= 0);
    if (pid == 0) {
      syscall(SYS_execve, argv[2], argv + 2, environ);
      _exit(127);
    }
    test_assert(waitpid(pid, &st, 0) == pid);
    print_status(mode, st);
  } else {
    fprintf(stderr, "spawn: unknown mode '%s'\n", mode);
    return 2;
  }
  return 0;
}
