/* fifo_signal: blocks in openat(PATH, O_RDONLY) on a FIFO while SIGALRM fires every 100 ms; the
 * handler dirties 64 KiB of its own stack, which is where a tracer's scratch copy of a
 * rewritten path lives (below the interrupted syscall's stack pointer). A child opens WPATH for
 * writing after 450 ms, which unblocks the open. With SA_RESTART ("restart") the kernel restarts
 * the open itself; without ("norestart") it fails with EINTR and the tracee retries. Either way
 * the open that finally succeeds must be of the right path and read "hello".
 * With HPATH, the handler also opens HPATH itself (a rewritten syscall nested inside the
 * interrupted one) and checks it reads "handler".
 * Usage: fifo_signal PATH WPATH restart|norestart [HPATH]. Prints what happened, for comparison
 * with the native run. */
#include "util.h"

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t handled, handler_opens_ok, handler_opens_bad;
static const char* handler_path;

static void on_alarm(int sig) {
  (void)sig;
  char big[64 * 1024];
  memset(big, 'X', sizeof big);
  __asm__ volatile("" : : "r"(big) : "memory");
  if (handler_path) {
    char buf[16] = {0};
    long fd = raw_openat(handler_path, O_RDONLY, 0);
    ssize_t n = fd >= 0 ? read((int)fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0) close((int)fd);
    if (n == 7 && !memcmp(buf, "handler", 7))
      handler_opens_ok++;
    else
      handler_opens_bad++;
  }
  handled++;
}

int main(int argc, char** argv) {
  test_assert(argc == 4 || argc == 5);
  if (argc == 5) handler_path = argv[4];
  int restart = !strcmp(argv[3], "restart");
  test_assert(restart || !strcmp(argv[3], "norestart"));

  pid_t writer = fork();
  test_assert(writer >= 0);
  if (writer == 0) {
    alarm(20); /* never outlive a broken run */
    usleep(450000);
    int fd = open(argv[2], O_WRONLY);
    test_assert(fd >= 0);
    test_assert(write(fd, "hello", 5) == 5);
    _exit(0);
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = restart ? SA_RESTART : 0;
  test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
  struct itimerval it = {{0, 100000}, {0, 100000}};
  test_assert(setitimer(ITIMER_REAL, &it, NULL) == 0);

  int eintr = 0;
  long fd;
  while ((fd = raw_openat(argv[1], O_RDONLY, 0)) == -EINTR) eintr++;
  struct itimerval off = {{0, 0}, {0, 0}};
  test_assert(setitimer(ITIMER_REAL, &off, NULL) == 0);
  if (fd < 0) {
    printf("open %s = %s after %d EINTR\n", argv[1], errno_name((int)-fd), eintr);
    kill(writer, SIGKILL);
    return 1;
  }
  char buf[64];
  read_all_close((int)fd, buf, sizeof buf);
  int st;
  test_assert(waitpid(writer, &st, 0) == writer);
  test_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  printf("handler ran: %s\n", handled > 0 ? "yes" : "no");
  printf("EINTR seen: %s\n", eintr > 0 ? "yes" : "no");
  printf("read: %s\n", buf);
  if (handler_path)
    printf("handler opens: %s\n", handler_opens_ok > 0 && handler_opens_bad == 0 ? "ok" : "bad");
  return 0;
}
