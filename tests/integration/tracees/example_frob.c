/* example_frob: the program of examples/helpers-exec.toml, an application written for a normal
 * install that runs its helpers by absolute, hard-coded path under /usr/lib/frob/, the way
 * real programs start their libexec helpers. It uses libc as such programs do, so the syscall
 * is whatever libc picks (execve for all three on glibc today):
 *   example_frob execve   execv("/usr/lib/frob/frob-helper", ...) replacing itself
 *   example_frob spawn    posix_spawn of /usr/lib/frob/frob-helper (glibc: clone(CLONE_VFORK))
 *   example_frob script   posix_spawn of /usr/lib/frob/frob-report, a #!/bin/sh script that
 *                         itself runs /usr/lib/frob/frob-helper
 * Prints "frob: MODE -> RESULT" after a spawned child ends, or the errno name on failure. */
#include "util.h"

#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

#define HELPER "/usr/lib/frob/frob-helper"
#define REPORT "/usr/lib/frob/frob-report"

static int spawn_and_wait(const char* mode, const char* path, char** argv) {
  pid_t pid;
  int r = posix_spawn(&pid, path, NULL, NULL, argv, environ);
  if (r != 0) {
    printf("frob: %s -> %s\n", mode, errno_name(r));
    return 1;
  }
  int st;
  test_assert(waitpid(pid, &st, 0) == pid);
  test_assert(WIFEXITED(st));
  printf("frob: %s -> exit %d\n", mode, WEXITSTATUS(st));
  return WEXITSTATUS(st);
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  const char* mode = argv[1];
  fflush(stdout);
  if (!strcmp(mode, "execve")) {
    char* args[] = {"frob-helper", "via-execve", NULL};
    execv(HELPER, args);
    printf("frob: execve -> %s\n", errno_name(errno));
    return 1;
  }
  if (!strcmp(mode, "spawn")) {
    char* args[] = {"frob-helper", "via-posix_spawn", NULL};
    return spawn_and_wait(mode, HELPER, args);
  }
  if (!strcmp(mode, "script")) {
    char* args[] = {"frob-report", NULL};
    return spawn_and_wait(mode, REPORT, args);
  }
  fprintf(stderr, "example_frob: unknown mode %s\n", mode);
  return 2;
}
