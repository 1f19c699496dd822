/* harden_stress: many threads and short-lived processes at once, each opening files through a
 * rewritten and a non-rewritten path and checking every byte it reads, so a lost rewrite (the
 * virtual path reaching the kernel: ENOENT), a wrong file, a torn string or a register restored
 * into the wrong thread shows up as a failed open or wrong bytes.
 *
 *   harden_stress --make RDIR                      creates RDIR/f0 .. RDIR/f15
 *   harden_stress VDIR RDIR THREADS PROCS OPENS    THREADS threads in this process and PROCS
 *                                                  forked processes (all started before any is
 *                                                  waited for), each doing OPENS opens
 *
 * File k holds "stress file k\n" and then 100 + 97*k bytes that depend on k and their offset.
 * Open i of a worker alternates between VDIR/... (which the rule rewrites to RDIR) and RDIR/...
 * itself, with "./" padding of varying length so successive rewrites differ in size. Prints
 * "stress ok: T threads, P processes, N opens" or fails (exit 1) naming the worker and file. */
#include "util.h"

#include <pthread.h>
#include <sys/wait.h>

#define NFILES 16

static const char* vdir;
static const char* rdir;
static int opens;

static size_t expected_content(int k, char* buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "stress file %d\n", k);
  size_t body = 100 + 97 * (size_t)k;
  for (size_t i = 0; i < body && n < cap - 1; i++) buf[n++] = (char)('!' + (i * 7 + (size_t)k * 13) % 90);
  buf[n] = '\0';
  return n;
}

static void make_files(const char* dir) {
  char path[4096], buf[4096];
  for (int k = 0; k < NFILES; k++) {
    snprintf(path, sizeof path, "%s/f%d", dir, k);
    size_t n = expected_content(k, buf, sizeof buf);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    test_assert(fd >= 0);
    test_assert(write(fd, buf, n) == (ssize_t)n);
    test_assert(close(fd) == 0);
  }
}

/* One worker: `opens` opens, each checked byte for byte. */
static void work(long id) {
  static const char* pads[] = {"", "./", "././", "./././././"};
  char path[4096], want[4096], got[4096];
  unsigned seed = (unsigned)id * 2654435761u;
  for (int i = 0; i < opens; i++) {
    seed = seed * 1103515245u + 12345u;
    int k = (int)((seed >> 16) % NFILES);
    const char* dir = i % 2 ? rdir : vdir;
    snprintf(path, sizeof path, "%s/%sf%d", dir, pads[(seed >> 8) % 4], k);
    long fd = raw_openat(path, O_RDONLY, 0);
    if (fd < 0) {
      fprintf(stderr, "worker %ld open %d of %s: %s\n", id, i, path, errno_name((int)-fd));
      _exit(1);
    }
    size_t len = read_all_close((int)fd, got, sizeof got);
    size_t want_len = expected_content(k, want, sizeof want);
    if (len != want_len || memcmp(got, want, len) != 0) {
      fprintf(stderr, "worker %ld open %d of %s: wrong content (%zu bytes, want %zu): %.20s\n",
              id, i, path, len, want_len, got);
      _exit(1);
    }
  }
}

static void* thread_main(void* arg) {
  work((long)arg);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--make") == 0) {
    make_files(argv[2]);
    return 0;
  }
  test_assert(argc == 6);
  vdir = argv[1];
  rdir = argv[2];
  int threads = atoi(argv[3]), procs = atoi(argv[4]);
  opens = atoi(argv[5]);
  test_assert(threads >= 0 && threads <= 1024 && procs >= 0 && procs <= 4096 && opens >= 0);

  pid_t* pids = calloc((size_t)procs, sizeof *pids);
  pthread_t* tids = calloc((size_t)threads, sizeof *tids);
  test_assert(pids && tids);
  fflush(NULL);
  for (int p = 0; p < procs; p++) {
    pids[p] = fork();
    test_assert(pids[p] >= 0);
    if (pids[p] == 0) {
      work(1000 + p);
      _exit(0);
    }
  }
  for (long t = 0; t < threads; t++) {
    /* Small stacks: 64 threads of the default 8 MiB would be 512 MiB of address space. */
    pthread_attr_t attr;
    test_assert(pthread_attr_init(&attr) == 0);
    test_assert(pthread_attr_setstacksize(&attr, 256 * 1024) == 0);
    test_assert(pthread_create(&tids[t], &attr, thread_main, (void*)t) == 0);
  }
  for (int t = 0; t < threads; t++) test_assert(pthread_join(tids[t], NULL) == 0);
  int failed = 0;
  for (int p = 0; p < procs; p++) {
    int status;
    test_assert(waitpid(pids[p], &status, 0) == pids[p]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "process %d (pid %d) ended with status %#x\n", p, pids[p], status);
      failed = 1;
    }
  }
  if (failed) return 1;
  printf("stress ok: %d threads, %d processes, %ld opens\n", threads, procs,
         (long)(threads + procs) * opens);
  return 0;
}
