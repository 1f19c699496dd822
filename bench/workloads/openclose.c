/* W1 and W2: N x openat+close of DIR/f0 .. DIR/f15 in turn, with raw syscalls so libc cannot
 * change which syscall runs. bench/run.py points DIR at a path a rule rewrites (W1) or at the
 * real directory (W2). The first file's content is printed, so the check run of a cell sees
 * where the opens really went; every open must succeed, else exit 1 (a tool that does not
 * redirect W1's paths fails here). With -r (W1r, W2r) it first chdirs into DIR and opens the
 * relative names f0 .. f15. Usage: openclose [-r] DIR N */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int relative = argc == 4 && strcmp(argv[1], "-r") == 0;
  if (argc != 3 + relative) {
    fprintf(stderr, "usage: openclose [-r] DIR N\n");
    return 2;
  }
  const char *dir = argv[1 + relative];
  long n = atol(argv[2 + relative]);
  if (relative && chdir(dir) != 0) {
    fprintf(stderr, "openclose: chdir %s: %s\n", dir, strerror(errno));
    return 1;
  }
  char paths[16][4096];
  for (int i = 0; i < 16; ++i) {
    if (relative)
      snprintf(paths[i], sizeof paths[i], "f%d", i);
    else
      snprintf(paths[i], sizeof paths[i], "%s/f%d", dir, i);
  }
  for (long i = 0; i < n; ++i) {
    long fd = syscall(SYS_openat, AT_FDCWD, paths[i % 16], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "openclose: openat %s: %s\n", paths[i % 16], strerror(errno));
      return 1;
    }
    if (i == 0) {
      char buf[64];
      long got = syscall(SYS_read, fd, buf, sizeof buf);
      if (got > 0) fwrite(buf, 1, (size_t)got, stdout);
    }
    syscall(SYS_close, fd);
  }
  printf("opened %ld\n", n);
  return 0;
}
