/* blocked_exit: one thread blocks in openat(FIFO) (a rewritten path, so the tracer holds
 * registers to restore at its exit) while the main thread, 200 ms later, either calls
 * exit(3) ("exit") or execs PROG ARGS ("exec"). The blocked thread dies without ever
 * returning from its syscall; the tracer must let it go quietly.
 * Usage: blocked_exit FIFO exit | blocked_exit FIFO exec PROG ARGS... */
#include "util.h"

#include <pthread.h>

extern char** environ;

static void* blocker(void* arg) {
  long fd = raw_openat((const char*)arg, O_RDONLY, 0);
  printf("blocked open returned %ld\n", fd);
  fflush(stdout);
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc >= 3);
  pthread_t t;
  test_assert(pthread_create(&t, NULL, blocker, argv[1]) == 0);
  usleep(200000);
  if (!strcmp(argv[2], "exit")) exit(3);
  test_assert(argc >= 4);
  syscall(SYS_execve, argv[3], argv + 3, environ);
  test_assert(!"execve failed");
}
