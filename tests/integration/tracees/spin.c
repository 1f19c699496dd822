/* spin: runs forever, sleeping or burning CPU, after writing its pid (and with "fork", a forked
 * child's pid too) to PIDFILE, atomically (write then rename). With "count", it instead
 * increments a counter and rewrites PIDFILE.count with it every 10 ms, so a driver can see
 * whether it makes progress. Usage: spin PIDFILE sleep|busy|count [fork]. */
#include "util.h"

#include <signal.h>
#include <time.h>

static void write_atomically(const char* path, const char* text) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE* f = fopen(tmp, "w");
  test_assert(f != NULL);
  fputs(text, f);
  test_assert(fclose(f) == 0);
  test_assert(rename(tmp, path) == 0);
}

int main(int argc, char** argv) {
  test_assert(argc == 3 || argc == 4);
  char pids[64];
  int n = snprintf(pids, sizeof pids, "%d\n", getpid());
  if (argc == 4 && !strcmp(argv[3], "fork")) {
    pid_t child = fork();
    test_assert(child >= 0);
    if (child == 0) {
      for (;;) pause();
    }
    snprintf(pids + n, sizeof pids - n, "%d\n", child);
  }
  write_atomically(argv[1], pids);
  if (!strcmp(argv[2], "sleep")) {
    for (;;) sleep(1);
  } else if (!strcmp(argv[2], "busy")) {
    for (volatile unsigned long i = 0;; i++) {
    }
  } else if (!strcmp(argv[2], "count")) {
    char path[4096], text[32];
    snprintf(path, sizeof path, "%s.count", argv[1]);
    for (unsigned long i = 0;; i++) {
      snprintf(text, sizeof text, "%lu\n", i);
      write_atomically(path, text);
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  return 2;
}
