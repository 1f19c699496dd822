/* daemonize: the classic double fork. The program forks a child and waits for it, the child
 * calls setsid, forks the daemon and exits; the program then exits with status 5. The daemon
 * waits until the program has exited (it is a zombie or gone: ordering by construction, not by
 * a sleep), then opens PATH with openat and writes what it read (or the errno name) to OUT.
 * Usage: daemonize PATH OUT. A tracer that returns when its first child exits loses the
 * daemon's open. */
#include "util.h"

#include <sys/wait.h>

/* The program has exited: /proc says zombie, dead, or nothing at all. */
static int has_exited(pid_t pid) {
  char path[64], stat[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 1;
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return 1;
  stat[n] = '\0';
  const char* end = strrchr(stat, ')');
  return !end || end[2] == 'Z' || end[2] == 'X';
}

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
  pid_t program = getppid();
  test_assert(setsid() > 0);
  pid_t daemon = fork();
  test_assert(daemon >= 0);
  if (daemon > 0) _exit(0);

  int devnull = open("/dev/null", O_RDWR);
  test_assert(devnull >= 0);
  dup2(devnull, 0);
  dup2(devnull, 1);
  while (!has_exited(program)) usleep(10000);
  usleep(50000);
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
