/* forking_daemon: a classic forking service. The program forks; the child calls setsid, forks
 * the daemon and exits; the daemon writes its pid to PIDFILE, tells the program it is ready
 * (a byte on a pipe, as systemd's Type=forking expects: the PID file exists before the start
 * command exits), then rewrites STATEFILE with a counter every 100 ms for SECONDS seconds or
 * until STOPFILE can be opened, ends it with "done" and exits 0. The program exits 0 once the
 * daemon is ready. Every file is opened with raw openat, so a rule can move them. With stdin,
 * stdout and stderr on /dev/null the daemon keeps nothing of its caller.
 * Usage: forking_daemon PIDFILE STATEFILE SECONDS [STOPFILE]. */
#include "util.h"

#include <sys/wait.h>
#include <time.h>

static void write_file(const char* path, const char* text) {
  long fd = raw_openat(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    errno = (int)-fd;
    test_assert(fd >= 0);
  }
  test_assert(write((int)fd, text, strlen(text)) == (ssize_t)strlen(text));
  close((int)fd);
}

int main(int argc, char** argv) {
  test_assert(argc == 4 || argc == 5);
  int seconds = atoi(argv[3]);
  int ready[2];
  test_assert(pipe(ready) == 0);
  pid_t middle = fork();
  test_assert(middle >= 0);
  if (middle > 0) {
    close(ready[1]);
    int st;
    test_assert(waitpid(middle, &st, 0) == middle);
    test_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char byte;
    test_assert(read(ready[0], &byte, 1) == 1);
    return 0;
  }
  close(ready[0]);
  test_assert(setsid() > 0);
  pid_t daemon = fork();
  test_assert(daemon >= 0);
  if (daemon > 0) _exit(0);

  int devnull = open("/dev/null", O_RDWR);
  test_assert(devnull >= 0);
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  char text[64];
  snprintf(text, sizeof text, "%d\n", (int)getpid());
  write_file(argv[1], text);
  test_assert(write(ready[1], "r", 1) == 1);
  close(ready[1]);
  for (int i = 0; i < seconds * 10; i++) {
    if (argc == 5) {
      long stop = raw_openat(argv[4], O_RDONLY, 0);
      if (stop >= 0) {
        close((int)stop);
        break;
      }
    }
    snprintf(text, sizeof text, "%d\n", i);
    write_file(argv[2], text);
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  write_file(argv[2], "done\n");
  return 0;
}
