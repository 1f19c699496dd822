/* leader_exit: the main thread calls pthread_exit while a second thread goes on opening PATH
 * (through openat) COUNT times, checking it reads EXPECTED each time, then calls exit(9). The
 * thread-group leader is a zombie meanwhile; the process's status is the worker's 9, and a
 * tracer must neither take the leader's exit for the program's end nor lose the worker.
 * Usage: leader_exit PATH EXPECTED COUNT. */
#include "util.h"

#include <pthread.h>

static char** args;

static void* worker(void* arg) {
  (void)arg;
  usleep(100000); /* let the leader exit first */
  int count = atoi(args[3]);
  char buf[256];
  for (int i = 0; i < count; i++) {
    long fd = raw_openat(args[1], O_RDONLY, 0);
    if (fd < 0) {
      printf("worker: open %s = %s\n", args[1], errno_name((int)-fd));
      fflush(stdout);
      exit(1);
    }
    read_all_close((int)fd, buf, sizeof buf);
    if (strcmp(buf, args[2]) != 0) {
      printf("worker: read '%s'\n", buf);
      fflush(stdout);
      exit(1);
    }
  }
  printf("worker: %d opens ok\n", count);
  fflush(stdout);
  exit(9);
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  args = argv;
  pthread_t t;
  test_assert(pthread_create(&t, NULL, worker, NULL) == 0);
  pthread_exit(NULL);
}
