/* harden_io_uring: io_uring_setup(2) as a raw syscall, as liburing does before falling back to
 * plain syscalls when it fails; prints "io_uring_setup = ok" (the ring fd is closed again) or
 * the errno name; with an argument N it sets up N rings, one after the other. Opens submitted through a ring never enter openat, so a tracer can only see
 * (and deny) the setup. */
#include "util.h"

#include <linux/io_uring.h>

int main(int argc, char** argv) {
  int rings = argc > 1 ? atoi(argv[1]) : 1;  /* "harden_io_uring N": N rings, one at a time */
  for (int i = 0; i < rings; ++i) {
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    long fd = syscall(SYS_io_uring_setup, 4, &params);
    if (fd < 0) {
      printf("io_uring_setup = %s\n", errno_name(errno));
      return 0;
    }
    close((int)fd);
  }
  printf("io_uring_setup = ok\n");
  return 0;
}
