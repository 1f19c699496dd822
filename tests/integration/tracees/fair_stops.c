/* fair_stops: an old process beside NEWER newer ones that all keep stopping at a traced call
 * (openat of a path no rule rewrites), to see whether a tracer serves the old one as promptly
 * as the new ones. The old one is the program's first child, the others its later ones. waitpid(-1) reports the newest tracee first, so a tracer that handles one
 * status per wait can leave the oldest stopped for seconds.
 *
 *   fair_stops alarm ROUNDS NEWER    the oldest loops alarm(1); pause() ROUNDS times (a stall
 *                                    of over a second between the two loses the signal and
 *                                    hangs for good), then prints "rounds N in S.SSS s"
 *   fair_stops latency SECONDS NEWER every process makes the call for SECONDS; prints
 *                                    "oldest CALLS MAX_US" and "newest CALLS MAX_US": the
 *                                    number of calls and the slowest single one */
#include "util.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One traced call; returns how long it took, in microseconds. */
static long traced_call_us(void) {
  double t0 = now();
  long r = raw_openat("/nonexistent/fair_stops", O_RDONLY, 0);
  test_assert(r == -ENOENT);
  return (long)((now() - t0) * 1e6);
}

/* Calls for `seconds` (forever when 0); writes "CALLS MAX_US" to `out` (-1: nowhere). */
static void spin(double seconds, int out) {
  double end = now() + seconds;
  long calls = 0, worst = 0;
  while (seconds == 0 || now() < end) {
    long us = traced_call_us();
    if (us > worst) worst = us;
    ++calls;
  }
  char line[64];
  int n = snprintf(line, sizeof line, "%ld %ld\n", calls, worst);
  if (out >= 0) test_assert(write(out, line, (size_t)n) == n);
}

static void on_alarm(int sig) { (void)sig; }

static void alarm_rounds(int rounds) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
  double t0 = now();
  for (int i = 0; i < rounds; ++i) {
    alarm(1);
    pause();
  }
  printf("rounds %d in %.3f s\n", rounds, now() - t0);
}

/* The oldest: the first child of the program (not the program itself, which is the tracer's
 * own child and so found first by waitpid(-1), whatever its age). */
static void oldest(int latency, double arg, int out) {
  if (latency)
    spin(arg, out);
  else
    alarm_rounds((int)arg);
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  const int latency = !strcmp(argv[1], "latency");
  test_assert(latency || !strcmp(argv[1], "alarm"));
  const double arg = atof(argv[2]);
  const int newer = atoi(argv[3]);
  test_assert(newer >= 1 && newer <= 64);
  int old_out[2], new_out[2];
  test_assert(pipe(old_out) == 0 && pipe(new_out) == 0);
  setvbuf(stdout, NULL, _IOLBF, 0);
  pid_t first = fork();
  test_assert(first >= 0);
  if (first == 0) {
    oldest(latency, arg, old_out[1]);
    _exit(0);
  }
  pid_t kids[64];
  for (int i = 0; i < newer; ++i) {
    kids[i] = fork();
    test_assert(kids[i] >= 0);
    if (kids[i] == 0) {
      /* Only the newest reports; in the alarm case they spin until killed. */
      spin(latency ? arg : 0, i == newer - 1 ? new_out[1] : -1);
      _exit(0);
    }
  }
  int status;
  test_assert(waitpid(first, &status, 0) == first && WIFEXITED(status) && !WEXITSTATUS(status));
  if (latency) {
    const char* who[] = {"oldest", "newest"};
    const int from[] = {old_out[0], new_out[0]};
    for (int k = 0; k < 2; ++k) {
      char line[64] = {0};
      test_assert(read(from[k], line, sizeof line - 1) > 0);
      long calls, worst;
      test_assert(sscanf(line, "%ld %ld", &calls, &worst) == 2);
      printf("%s %ld %ld\n", who[k], calls, worst);
    }
  } else {
    for (int i = 0; i < newer; ++i) kill(kids[i], SIGKILL);
  }
  for (int i = 0; i < newer; ++i) test_assert(waitpid(kids[i], NULL, 0) == kids[i]);
  return 0;
}
