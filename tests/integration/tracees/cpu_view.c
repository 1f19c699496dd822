/* What a traced program sees of its own CPU placement, before and after many stops: its
 * affinity mask (as a CPU count and list), its scheduling policy, and the same for a child it
 * forks afterwards (children inherit both). With "hogs H" it then starts H busy children and
 * makes its stops again beside them, and prints the policy of its parent, the tracer: a
 * tracer that waits behind busy CPUs must have left SCHED_IDLE.
 *   cpu_view STOPS            cpu_view STOPS hogs H */
#include "util.h"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static void print_view(const char* who) {
  cpu_set_t m;
  test_assert(sched_getaffinity(0, sizeof m, &m) == 0);
  printf("%s: %d cpus [", who, CPU_COUNT(&m));
  for (int c = 0, first = 1; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &m)) printf(first ? "%d" : ",%d", c), first = 0;
  int policy = sched_getscheduler(0);
  printf("] policy %s\n", policy == SCHED_OTHER ? "SCHED_OTHER" : policy == SCHED_IDLE ? "SCHED_IDLE" : "other");
  fflush(stdout);
}

static void stops(long n) {
  for (long i = 0; i < n; ++i) {
    long fd = raw_openat("/redirect-cpu-view-nonexistent", O_RDONLY, 0);
    test_assert(fd == -ENOENT);
  }
}

int main(int argc, char** argv) {
  test_assert(argc == 2 || argc == 4);
  long n = atol(argv[1]);
  print_view("before");
  stops(n);
  print_view("after");
  pid_t c = fork();
  test_assert(c >= 0);
  if (c == 0) print_view("child"), _exit(0);
  test_assert(waitpid(c, NULL, 0) == c);
  if (argc == 2) return 0;
  int hogs = atoi(argv[3]);
  pid_t h[64];
  test_assert(hogs > 0 && hogs < 64);
  for (int i = 0; i < hogs; ++i) {
    h[i] = fork();
    test_assert(h[i] >= 0);
    if (h[i] == 0)
      for (;;) __asm__ volatile("" ::: "memory");
  }
  stops(n);
  int tracer = sched_getscheduler(getppid());
  printf("beside %d busy children, the tracer's policy: %s\n", hogs,
         tracer == SCHED_IDLE ? "SCHED_IDLE" : "not SCHED_IDLE");
  for (int i = 0; i < hogs; ++i) kill(h[i], SIGKILL), waitpid(h[i], NULL, 0);
  return 0;
}
