/* churn: ROUNDS rounds; in each, THREADS threads are created, each opens PATH COUNT times and
 * checks it reads EXPECTED, and a child is forked that does the same, then all are joined and
 * reaped. New tasks appear and vanish all the time, so a tracer sees new threads' first stops
 * before or after their creator's clone event, and exits racing with stops.
 * Usage: churn PATH EXPECTED ROUNDS THREADS COUNT. Prints "churn ok N" (N = total opens). */
#include "util.h"

#include <pthread.h>
#include <sys/wait.h>

static const char* path;
static const char* expected;
static int count;

static int open_and_check(void) {
  char buf[256];
  for (int i = 0; i < count; i++) {
    long fd = raw_openat(path, O_RDONLY, 0);
    if (fd < 0) {
      fprintf(stderr, "open %s = %s\n", path, errno_name((int)-fd));
      return 0;
    }
    read_all_close((int)fd, buf, sizeof buf);
    if (strcmp(buf, expected) != 0) {
      fprintf(stderr, "read '%s', expected '%s'\n", buf, expected);
      return 0;
    }
  }
  return 1;
}

static void* worker(void* arg) {
  (void)arg;
  if (!open_and_check()) _exit(1);
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc == 6);
  path = argv[1];
  expected = argv[2];
  int rounds = atoi(argv[3]), threads = atoi(argv[4]);
  count = atoi(argv[5]);
  test_assert(threads > 0 && threads <= 32);
  for (int r = 0; r < rounds; r++) {
    pthread_t t[32];
    for (int i = 0; i < threads; i++) test_assert(pthread_create(&t[i], NULL, worker, NULL) == 0);
    pid_t child = fork();
    test_assert(child >= 0);
    if (child == 0) _exit(open_and_check() ? 0 : 1);
    for (int i = 0; i < threads; i++) test_assert(pthread_join(t[i], NULL) == 0);
    int st;
    test_assert(waitpid(child, &st, 0) == child);
    test_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  printf("churn ok %d\n", rounds * (threads + 1) * count);
  return 0;
}
