/* harden_ptrace_user: a program that is itself a tracer, the two ways debuggers start:
 *   - a child calls PTRACE_TRACEME (strace, gdb's "run"), then opens PATH;
 *   - the parent PTRACE_SEIZEs another child of its own (strace -p, gdb attach).
 * Prints "traceme = RESULT", "child open PATH = FIRST LINE|ERRNO", "seize = RESULT". A task
 * has one tracer: under redirect every descendant is already traced, so both ptrace requests
 * must fail with EPERM, while the child itself goes on being rewritten. */
#include "util.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  test_assert(argc == 2);
  fflush(NULL);
  pid_t child = fork();
  test_assert(child >= 0);
  if (child == 0) {
    long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
    printf("traceme = %s\n", r == 0 ? "ok" : errno_name(errno));
    long fd = raw_openat(argv[1], O_RDONLY, 0);
    char buf[256] = "";
    if (fd >= 0) {
      read_all_close((int)fd, buf, sizeof buf);
      char* nl = strchr(buf, '\n');
      if (nl) *nl = '\0';
    }
    printf("child open %s = %s\n", argv[1], fd >= 0 ? buf : errno_name((int)-fd));
    fflush(stdout);
    _exit(0);
  }
  int status;
  test_assert(waitpid(child, &status, 0) == child);
  test_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  pid_t sleeper = fork();
  test_assert(sleeper >= 0);
  if (sleeper == 0) {
    for (;;) pause();
  }
  long r = ptrace(PTRACE_SEIZE, sleeper, NULL, NULL);
  printf("seize = %s\n", r == 0 ? "ok" : errno_name(errno));
  kill(sleeper, SIGKILL);
  /* A seized sleeper reports its death to us as its tracer; either way it is reaped here. */
  test_assert(waitpid(sleeper, &status, 0) == sleeper);
  return 0;
}
