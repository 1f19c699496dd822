/* sigcatch: writes its pid to PIDFILE (atomically), then waits for signals: each SIGUSR1 prints
 * "got USR1 N" (and after the third it exits 0); SIGTERM prints "got TERM" and exits 7; SIGINT
 * keeps its default action (death). Output is line-buffered by hand (write(2)) so a driver
 * reading a file sees each line as soon as it is handled. Usage: sigcatch PIDFILE. */
#include "util.h"

#include <signal.h>

static volatile sig_atomic_t usr1, term;

static void on_usr1(int sig) {
  (void)sig;
  usr1++;
}
static void on_term(int sig) {
  (void)sig;
  term = 1;
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  test_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
  sa.sa_handler = on_term;
  test_assert(sigaction(SIGTERM, &sa, NULL) == 0);

  char tmp[4096], text[32];
  snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  test_assert(fd >= 0);
  snprintf(text, sizeof text, "%d\n", getpid());
  test_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
  close(fd);
  test_assert(rename(tmp, argv[1]) == 0);

  int seen = 0;
  for (;;) {
    pause();
    while (seen < usr1) {
      seen++;
      int n = snprintf(text, sizeof text, "got USR1 %d\n", seen);
      test_assert(write(1, text, (size_t)n) == n);
      if (seen == 3) return 0;
    }
    if (term) {
      test_assert(write(1, "got TERM\n", 9) == 9);
      return 7;
    }
  }
}
