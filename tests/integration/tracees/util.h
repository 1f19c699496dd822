/* Shared helpers for the integration tracees: an assertion that names its file and line (rr
 * src/test/util.h `test_assert`), errno names for output the drivers compare, and file reading.
 * Tracees call syscall(SYS_xxx, ...) directly so that libc cannot pick a different syscall
 * (glibc turns open() into openat, stat() into newfstatat or statx) and the driver knows
 * exactly which syscall the rule has to catch. Not a tracee itself: the build globs only *.c. */
#ifndef REDIRECT_TRACEE_UTIL_H
#define REDIRECT_TRACEE_UTIL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Fails the tracee with file:line and the failed condition; exit status 1, never a signal,
 * so that drivers can tell an assertion from a crash. */
#define test_assert(cond)                                                                   \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      fprintf(stderr, "FAILED at %s:%d: !(%s) errno=%s\n", __FILE__, __LINE__, #cond,       \
              errno_name(errno));                                                           \
      fflush(NULL);                                                                         \
      _exit(1);                                                                             \
    }                                                                                       \
  } while (0)

/* "ENOENT" for ENOENT; "E<number>" for an errno glibc has no name for. */
static inline const char* errno_name(int e) {
  static __thread char buf[16];
  const char* name = strerrorname_np(e);
  if (name) return name;
  snprintf(buf, sizeof buf, "E%d", e);
  return buf;
}

/* Reads all of fd (at most cap-1 bytes) into buf, NUL-terminates it, closes fd; returns the
 * length. Asserts on read errors. */
static inline size_t read_all_close(int fd, char* buf, size_t cap) {
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    test_assert(n >= 0);
    if (n == 0 || len + (size_t)n == cap - 1) {
      len += (size_t)n;
      break;
    }
    len += (size_t)n;
  }
  buf[len] = '\0';
  close(fd);
  return len;
}

/* Prints "openat = ERRNAME" for a failed open (r = -errno), else "openat = " and the first
 * line of the file, which it reads and closes: the one-line verdict the drivers compare. */
static inline void print_open_result(long r) {
  if (r < 0) {
    printf("openat = %s\n", errno_name((int)-r));
    return;
  }
  char buf[256];
  read_all_close((int)r, buf, sizeof buf);
  char* nl = strchr(buf, '\n');
  if (nl) *nl = '\0';
  printf("openat = %s\n", buf);
}

/* openat(AT_FDCWD, path, flags, mode) as the raw syscall: fd, or -errno. */
static inline long raw_openat(const char* path, int flags, int mode) {
  long r = syscall(SYS_openat, AT_FDCWD, path, flags, mode);
  return r < 0 ? -errno : r;
}

#endif
