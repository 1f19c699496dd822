/* A thread with an alternate signal stack makes system calls in a loop while a second thread
 * sends it SIGUSR1 (SA_ONSTACK) as fast as it can: each call checks its result, and the
 * handler checks that it runs on that alternate stack or, when it interrupted a call (under
 * --backend inproc, on redirect's private stack), on the stack sigaltstack() reports. Under
 * --backend inproc every call traps into a handler that leaves the alternate stack for its
 * private one; a signal delivered at the top of the alternate stack in between would be
 * written over the trap's own frame. The loop ends after CALLS calls or SECONDS seconds,
 * whichever comes first: how many calls a second the storm leaves the caller depends on the
 * scheduler (2 s to over 30 s for 40000 calls on the same machine). Prints "storm = calls
 * right, signals handled" (and the count on stderr) and exits 0, or fails with file:line.
 * Usage: altstack_storm CALLS SECONDS [PATH: also opened] */
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

static atomic_int done;
static atomic_long handled, misplaced;
static pid_t target;

static void on_usr1(int sig) {
  (void)sig;
  volatile char here = 0;
  stack_t now;
  if (sigaltstack(NULL, &now) == 0) {
    const uintptr_t sp = (uintptr_t)&here, lo = (uintptr_t)now.ss_sp;
    if (!(now.ss_flags & SS_ONSTACK) || sp <= lo || sp - lo > now.ss_size) misplaced++;
  }
  handled++;
}

static double now_s(void) {
  struct timespec t;
  test_assert(clock_gettime(CLOCK_MONOTONIC, &t) == 0);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void* storm(void* arg) {
  (void)arg;
  while (!done) syscall(SYS_tgkill, getpid(), target, SIGUSR1);
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc >= 3);
  const long calls = atol(argv[1]);
  const double seconds = atof(argv[2]);
  const char* path = argc > 3 ? argv[3] : NULL;
  static char stack_mem[64 * 1024];
  stack_t ss = {.ss_sp = stack_mem, .ss_size = sizeof stack_mem, .ss_flags = 0};
  test_assert(sigaltstack(&ss, NULL) == 0);
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_ONSTACK | SA_RESTART;
  test_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
  target = (pid_t)syscall(SYS_gettid);
  const long ppid = syscall(SYS_getppid);
  pthread_t t;
  test_assert(pthread_create(&t, NULL, storm, NULL) == 0);
  while (handled == 0) sched_yield();  /* the calls start once the storm has */
  const double deadline = now_s() + seconds;
  long i = 0;
  for (; i < calls && (i % 256 != 0 || now_s() < deadline); i++) {
    test_assert(syscall(SYS_getppid) == ppid);
    if (path) {
      int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
      test_assert(fd >= 0);
      test_assert(syscall(SYS_close, fd) == 0);
    }
  }
  done = 1;
  test_assert(pthread_join(t, NULL) == 0);
  test_assert(misplaced == 0);
  fprintf(stderr, "storm: %ld calls\n", i);
  printf("storm = calls right, signals %s\n", handled > 0 ? "handled" : "NONE");
  return 0;
}
