/* child_stop: what a shell does for job control, as a traced program: it forks a child that
 * stops itself (raise(SIGSTOP)); the parent must see it stopped with waitpid(WUNTRACED), resume
 * it with SIGCONT and see that with WCONTINUED, then reap its exit status 4. Under a tracer the
 * stop must still be reported to the real parent. Prints each step; gives up after 10 s
 * (alarm) instead of hanging. Usage: child_stop. */
#include "util.h"

#include <signal.h>
#include <sys/wait.h>

int main(void) {
  alarm(10);
  int go[2]; /* the child exits only when told, so its exit cannot hide its SIGCONT */
  test_assert(pipe(go) == 0);
  pid_t child = fork();
  test_assert(child >= 0);
  if (child == 0) {
    char c;
    close(go[1]);
    raise(SIGSTOP);
    test_assert(read(go[0], &c, 1) == 1);
    _exit(4);
  }
  close(go[0]);
  int st;
  test_assert(waitpid(child, &st, WUNTRACED) == child);
  printf("stopped: %s (signal %d)\n", WIFSTOPPED(st) ? "yes" : "no",
         WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
  fflush(stdout);
  test_assert(kill(child, SIGCONT) == 0);
  test_assert(waitpid(child, &st, WCONTINUED) == child);
  printf("continued: %s\n", WIFCONTINUED(st) ? "yes" : "no");
  fflush(stdout);
  test_assert(write(go[1], "x", 1) == 1);
  if (WIFCONTINUED(st)) test_assert(waitpid(child, &st, 0) == child);
  printf("exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}
