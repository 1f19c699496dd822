/* ptrace_probe: exits 0 when this process may PTRACE_SEIZE a child of its own, 1 (with the
 * reason on stderr) when it may not: Yama, a container's seccomp profile or a missing
 * CAP_SYS_PTRACE. lib/common.bash runs it once per test to skip (77) instead of failing where
 * redirect cannot work at all. Seizes exactly as the engine does (PTRACE_O_EXITKILL). */
#include "util.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int main(void) {
  int fds[2];
  test_assert(pipe(fds) == 0);
  pid_t child = fork();
  test_assert(child >= 0);
  if (child == 0) {
    char c;
    close(fds[1]);
    (void)!read(fds[0], &c, 1);
    _exit(0);
  }
  close(fds[0]);
  int ok = ptrace(PTRACE_SEIZE, child, 0, PTRACE_O_EXITKILL) == 0;
  int saved = errno;
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  if (!ok) {
    fprintf(stderr, "ptrace_probe: PTRACE_SEIZE refused: %s\n", strerror(saved));
    return 1;
  }
  return 0;
}
