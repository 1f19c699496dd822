/* daemonize: the classic double fork. The program forks a child and waits for it, the child
 * calls setsid, forks the daemon and exits; the program then exits with status 5. The daemon
 * waits until its parent is gone, sleeps 300 ms more (the program has exited by then), opens
 * PATH with openat and writes what it read to OUT. Usage: daemonize PATH OUT. A tracer that
 * returns when its first child exits loses the daemon's open. */
#include "util.h"

#include <sys/wait.h>
#include <time.h>

int main(int argc, char** argv) {
  test_assert(argc == 3);
  pid_t middle = fork();
  test_assert(middle >= 0);
  if (middle > 0) {
    int st;
    test_assert(waitpid(middle, &st, 0) == middle);
    test_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("program exits\n");
    return 5;
  }
  test_assert(setsid() > 0);
  pid_t daemon = fork();
  test_assert(daemon >= 0);
  if (daemon > 0) _exit(0);

  int devnull = open("/dev/null", O_RDWR);
  test_assert(devnull >= 0);
  dup2(devnull, 0);
  dup2(devnull, 1);
  while (getppid() == middle) usleep(10000);
  usleep(300000);
  char buf[4096];
  long fd = raw_openat(argv[1], O_RDONLY, 0);
  if (fd >= 0)
    read_all_close((int)fd, buf, sizeof buf);
  else
    snprintf(buf, sizeof buf, "%s\n", errno_name((int)-fd));
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  test_assert(out >= 0);
  test_assert(write(out, buf, strlen(buf)) == (ssize_t)strlen(buf));
  close(out);
  return 0;
}
