/* waitstatus: runs PROG ARGS (PATH lookup) as a child and prints how it ended, in the words of
 * wait(2): "exited N" or "signaled N core|nocore". A shell's $? cannot tell exit(139) from a
 * death by SIGSEGV, nor see a core dump; this can. Usage: waitstatus PROG ARGS... */
#include "util.h"

#include <sys/wait.h>

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  pid_t pid = fork();
  test_assert(pid >= 0);
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  int st;
  test_assert(waitpid(pid, &st, 0) == pid);
  if (WIFEXITED(st))
    printf("exited %d\n", WEXITSTATUS(st));
  else
    printf("signaled %d %s\n", WTERMSIG(st), WCOREDUMP(st) ? "core" : "nocore");
  return 0;
}
