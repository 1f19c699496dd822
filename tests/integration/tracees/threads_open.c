/* threads_open: THREADS threads each open, read and check COUNT files through openat, cycling
 * over DIR/f0 .. DIR/f7, whose content the tracee knows ("file K: " then K*37+1 letters 'a'+K),
 * so a rewrite that went to the wrong file, a torn string or a lost restore shows up as wrong
 * bytes. Usage: threads_open DIR THREADS COUNT. Prints "threads ok N" (N = total opens). */
#include "util.h"

#include <pthread.h>

static const char* dir;
static int count;

static void expected_content(int k, char* buf, size_t cap) {
  int n = snprintf(buf, cap, "file %d: ", k);
  for (int i = 0; i < k * 37 + 1; i++) buf[n++] = (char)('a' + k);
  buf[n] = '\0';
}

static void* worker(void* arg) {
  long t = (long)arg;
  char path[4096], want[512], got[512];
  for (int i = 0; i < count; i++) {
    int k = (int)((i + t) % 8);
    /* Vary the length of the path the program passes so successive rewrites differ in size. */
    snprintf(path, sizeof path, "%s/%.*sf%d", dir, (int)(i % 3) * 2, "././", k);
    long fd = raw_openat(path, O_RDONLY, 0);
    if (fd < 0) {
      fprintf(stderr, "thread %ld open %d of %s: %s\n", t, i, path, errno_name((int)-fd));
      _exit(1);
    }
    read_all_close((int)fd, got, sizeof got);
    expected_content(k, want, sizeof want);
    if (strcmp(got, want) != 0) {
      fprintf(stderr, "thread %ld open %d of %s: read '%s', expected '%s'\n", t, i, path, got,
              want);
      _exit(1);
    }
  }
  return NULL;
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  dir = argv[1];
  int threads = atoi(argv[2]);
  count = atoi(argv[3]);
  test_assert(threads > 0 && threads <= 64 && count > 0);
  if (!strcmp(dir, "--make")) { /* print the expected contents, for the driver to create */
    char want[512];
    for (int k = 0; k < 8; k++) {
      expected_content(k, want, sizeof want);
      printf("%s\n", want);
    }
    return 0;
  }
  pthread_t tids[64];
  for (long t = 0; t < threads; t++) test_assert(pthread_create(&tids[t], NULL, worker, (void*)t) == 0);
  for (int t = 0; t < threads; t++) test_assert(pthread_join(tids[t], NULL) == 0);
  printf("threads ok %d\n", threads * count);
  return 0;
}
