/* harden_loop: a long, steady stream of intercepted syscalls, for measuring the tracer's own
 * memory over millions of stops. Each iteration opens VPATH (rewritten by the rule) with a
 * "./" padding of varying length and RPATH (matched by no rule, but trapped all the same),
 * checks the first bytes of each, and closes them. To churn the tracer's per-task state too,
 * every 1000th iteration runs a short-lived thread and every 20000th a short-lived child
 * process, each doing a few of the same opens.
 *   harden_loop VDIR RDIR ITERATIONS    (opens VDIR/f and RDIR/f; f must start with "loop")
 * Writes the iteration count reached to the file "progress" every 10000 iterations (pwrite, so
 * a driver can sample the tracer's memory at known points) and prints "loop ok: N syscalls". */
#include "util.h"

#include <pthread.h>
#include <sys/wait.h>

static const char* vdir;
static const char* rdir;
static long syscalls_done;

static void open_check(const char* dir, int pad) {
  static const char* pads[] = {"", "./", "././", "./././././"};
  char path[4096], buf[8];
  snprintf(path, sizeof path, "%s/%sf", dir, pads[pad % 4]);
  long fd = raw_openat(path, O_RDONLY, 0);
  if (fd < 0) {
    fprintf(stderr, "open %s: %s\n", path, errno_name((int)-fd));
    _exit(1);
  }
  ssize_t n = read((int)fd, buf, 4);
  if (n != 4 || memcmp(buf, "loop", 4) != 0) {
    fprintf(stderr, "open %s: wrong content\n", path);
    _exit(1);
  }
  close((int)fd);
}

static void* few_opens(void* arg) {
  for (int i = 0; i < 4; i++) {
    open_check(vdir, i + (int)(long)arg);
    open_check(rdir, i);
  }
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  vdir = argv[1];
  rdir = argv[2];
  long iterations = atol(argv[3]);
  int progress = open("progress", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  test_assert(progress >= 0);
  for (long i = 0; i < iterations; i++) {
    open_check(vdir, (int)i);
    open_check(rdir, (int)i);
    syscalls_done += 2;
    if (i % 1000 == 999) {
      pthread_t t;
      test_assert(pthread_create(&t, NULL, few_opens, (void*)i) == 0);
      test_assert(pthread_join(t, NULL) == 0);
      syscalls_done += 8;
    }
    if (i % 20000 == 19999) {
      pid_t pid = fork();
      test_assert(pid >= 0);
      if (pid == 0) {
        few_opens(NULL);
        _exit(0);
      }
      int status;
      test_assert(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                  WEXITSTATUS(status) == 0);
      syscalls_done += 8;
    }
    if (i % 10000 == 0) {
      char text[32];
      int n = snprintf(text, sizeof text, "%-20ld\n", i);
      test_assert(pwrite(progress, text, (size_t)n, 0) == n);
    }
  }
  printf("loop ok: %ld syscalls\n", syscalls_done);
  return 0;
}
