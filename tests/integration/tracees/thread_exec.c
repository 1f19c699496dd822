/* thread_exec: execve from a thread that is not the thread-group leader, while a third thread
 * sleeps. The kernel kills the other threads and the exec'ing thread takes over the leader's
 * pid, so a tracer sees the exec event arrive "from" the leader's pid after the thread vanished.
 * Usage: thread_exec PATH ARGS... (execs PATH with argv PATH ARGS...). */
#include "util.h"

#include <pthread.h>

extern char** environ;
static char** exec_argv;

static void* sleeper(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void* execer(void* arg) {
  (void)arg;
  long r = syscall(SYS_execve, exec_argv[0], exec_argv, environ);
  printf("execve %s from a thread = %s\n", exec_argv[0], errno_name(r < 0 ? errno : 0));
  fflush(stdout);
  _exit(1);
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  exec_argv = argv + 1;
  pthread_t a, b;
  test_assert(pthread_create(&a, NULL, sleeper, NULL) == 0);
  test_assert(pthread_create(&b, NULL, execer, NULL) == 0);
  for (;;) pause();
}
