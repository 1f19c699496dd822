/* Ignores every signal from 1 to 64 that can be ignored, libc's internal ones (32, 33) included
 * through raw rt_sigaction (libc's sigaction refuses them), then execs ARGS: a parent that
 * starts redirect with signals ignored, as some launchers and CI harnesses do.
 * Usage: ignore_libc_signals PROG ARGS... */
#include "util.h"

#include <signal.h>

struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  struct kernel_sigaction ignore = {SIG_IGN, 0, NULL, 0};
  for (int sig = 1; sig <= 64; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
      syscall(SYS_rt_sigaction, sig, &ignore, NULL, sizeof ignore.mask);
  execvp(argv[1], argv + 1);
  return 127;
}
