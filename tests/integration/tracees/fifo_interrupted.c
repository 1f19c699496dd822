/* fifo_interrupted: blocks in openat(PATH, O_RDONLY) on a FIFO while a timer signal (SIGALRM,
 * every 20 ms) interrupts it, many times, until a child opens WPATH for writing after 300 ms.
 * "restart": the handler has SA_RESTART, so the kernel restarts the open itself and the
 * program sees one successful open; "norestart": no SA_RESTART, so each interruption returns
 * EINTR to the program, which counts them and tries again (the child opens only once the
 * program saw 6 interruptions, told through a pipe: under emulation a fixed delay let the
 * child open first); "nohandler": no timer, but a child
 * sends SIGWINCH (default action: ignore, no handler) every 20 ms, which interrupts the open
 * under a tracer (a traced process is woken even by an ignored signal) and is restarted. Prints "fd F after E EINTR,
 * H signals" (F the fd the open returned); the driver compares the counts with redirect's log.
 * With FIFO_INTERRUPTED_SIGINFO=1 in the environment the handler is installed with SA_SIGINFO
 * (i386 then gets the rt signal frame, else the older one).
 * Usage: fifo_interrupted PATH WPATH restart|norestart|nohandler */
#include "util.h"

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

static volatile sig_atomic_t handled;
static int go_fd = -1;  // written once when the child may open the FIFO

// The child may open the FIFO: the open was interrupted often enough.
static void let_writer_open(void) {
  if (go_fd >= 0 && write(go_fd, "g", 1) == 1) go_fd = -1;
}

static void on_alarm(int sig) {
  (void)sig;
  // With SA_RESTART the program never sees an interruption: count them here.
  if (++handled == 6 && go_fd >= 0) let_writer_open();
}

static void on_alarm_info(int sig, siginfo_t* info, void* ucontext) {
  (void)info;
  (void)ucontext;
  on_alarm(sig);
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  int restart = !strcmp(argv[3], "restart");
  int nohandler = !strcmp(argv[3], "nohandler");
  test_assert(restart || nohandler || !strcmp(argv[3], "norestart"));

  int go[2];
  test_assert(pipe(go) == 0);
  pid_t writer = fork();
  test_assert(writer >= 0);
  if (writer == 0) {
    alarm(20); /* never outlive a broken run */
    close(go[1]);
    char c;
    if (nohandler) usleep(300000);
    else test_assert(read(go[0], &c, 1) == 1);
    int fd = open(argv[2], O_WRONLY);
    test_assert(fd >= 0);
    test_assert(write(fd, "hello", 5) == 5);
    _exit(0);
  }

  close(go[0]);
  if (restart) go_fd = go[1];
  pid_t pinger = -1;
  if (nohandler) {
    pid_t parent = getpid();
    pinger = fork();
    test_assert(pinger >= 0);
    if (pinger == 0) {
      for (int i = 0; i < 12; i++) {
        usleep(20000);
        kill(parent, SIGWINCH);
      }
      _exit(0);
    }
  } else {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    const char* info = getenv("FIFO_INTERRUPTED_SIGINFO");
    if (info && !strcmp(info, "1")) {
      sa.sa_sigaction = on_alarm_info;
      sa.sa_flags = SA_SIGINFO;
    } else {
      sa.sa_handler = on_alarm;
    }
    sa.sa_flags |= restart ? SA_RESTART : 0;
    test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    test_assert(setitimer(ITIMER_REAL, &it, NULL) == 0);
  }

  int eintr = 0;
  long fd;
  while ((fd = raw_openat(argv[1], O_RDONLY, 0)) == -EINTR) {
    if (++eintr == 6) {
      go_fd = go[1];
      let_writer_open();
    }
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  test_assert(setitimer(ITIMER_REAL, &off, NULL) == 0);
  int st;
  test_assert(waitpid(writer, &st, 0) == writer);
  if (pinger > 0) test_assert(waitpid(pinger, &st, 0) == pinger);
  if (fd < 0) {
    printf("open %s = %s after %d EINTR\n", argv[1], errno_name((int)-fd), eintr);
    return 1;
  }
  printf("fd %ld after %d EINTR, %d signals\n", fd, eintr, (int)handled);
  return 0;
}
