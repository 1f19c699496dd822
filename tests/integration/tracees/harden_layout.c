/* harden_layout: a program that changes its memory layout around the path strings it passes.
 *   harden_layout after PATH_A PATH_B N   N times: map a page, copy PATH_A (then PATH_B, in
 *                                         turn) into it, openat it, unmap the page right after
 *                                         the call returns, and map another page at the same
 *                                         address; prints "after: N opens ok"
 *   harden_layout race PATH_A PATH_B N    one thread opens a string in a page N times while
 *                                         another unmaps and remaps that page with PATH_A or
 *                                         PATH_B in it; prints "race: A=.. B=.. EFAULT=.."
 * PATH_A and PATH_B must have the same length and name files starting with "A" and "B", so
 * any open that succeeds shows which string the kernel got. In the race, ENOENT is counted, not
 * a failure: when the tracer finds the page unmapped it leaves the pointer alone, and the page
 * may be back, holding the virtual path, by the time the kernel reads it (an inherent
 * time-of-check window of rewriting through ptrace). Any other outcome fails the run. */
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

static long page;
static const char* paths[2];
static char* volatile spot;
static atomic_int stop;

static char* map_with(char* at, const char* text) {
  char* p = mmap(at, page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);
  test_assert(p != MAP_FAILED);
  /* Last byte first: a reader racing with us sees "" (ENOENT), never a prefix such as the
   * directory "real/". */
  volatile char* to = p + page - 256;
  for (size_t i = strlen(text) + 1; i-- > 0;) to[i] = text[i];
  return p;
}

/* 'A', 'B', or -errno. */
static int open_which(const char* s) {
  char buf[16];
  long fd = raw_openat(s, O_RDONLY, 0);
  if (fd < 0) return (int)fd;
  read_all_close((int)fd, buf, sizeof buf);
  return buf[0];
}

static void* remapper(void* arg) {
  (void)arg;
  for (unsigned i = 0; !atomic_load(&stop); i++) {
    test_assert(munmap(spot, page) == 0);
    map_with(spot, paths[i % 2]);
    sched_yield();
  }
  return NULL;
}

int main(int argc, char** argv) {
  page = sysconf(_SC_PAGESIZE);
  test_assert(argc == 5 && strlen(argv[2]) == strlen(argv[3]) && strlen(argv[2]) < 200);
  paths[0] = argv[2];
  paths[1] = argv[3];
  int n = atoi(argv[4]);
  if (strcmp(argv[1], "after") == 0) {
    char* p = map_with(NULL, paths[0]);
    for (int i = 0; i < n; i++) {
      int got = open_which(p + page - 256);
      if (got != "AB"[i % 2]) {
        printf("after: open %d of %s = %c/%s\n", i, paths[i % 2], got > 0 ? got : '-',
               got < 0 ? errno_name(-got) : "");
        return 1;
      }
      test_assert(munmap(p, page) == 0);
      p = map_with(p, paths[(i + 1) % 2]);
    }
    printf("after: %d opens ok\n", n);
    return 0;
  }
  test_assert(strcmp(argv[1], "race") == 0);
  spot = map_with(NULL, paths[0]);
  pthread_t t;
  test_assert(pthread_create(&t, NULL, remapper, NULL) == 0);
  int a = 0, b = 0, efault = 0, enoent = 0;
  for (int i = 0; i < n; i++) {
    int got = open_which(spot + page - 256);
    if (got == 'A') a++;
    else if (got == 'B') b++;
    else if (got == -EFAULT) efault++;
    else if (got == -ENOENT) enoent++;
    else {
      printf("race: open %d = %c/%s\n", i, got > 0 ? got : '-', got < 0 ? errno_name(-got) : "");
      return 1;
    }
  }
  atomic_store(&stop, 1);
  test_assert(pthread_join(t, NULL) == 0);
  printf("race: %d opens, A=%d B=%d EFAULT=%d ENOENT=%d\n", n, a, b, efault, enoent);
  return 0;
}
