/* engine_loop N PATH [getppid]: N times openat(AT_FDCWD, PATH) + close through syscall(2), or
 * N getppid() calls; prints "opened K of N" (K = opens that succeeded). The engine smoke test
 * uses it to count the stops redirect needs per intercepted syscall (--stats). */
#include "util.h"

int main(int argc, char** argv) {
  test_assert(argc >= 3);
  long n = atol(argv[1]), ok = 0;
  int ppid_only = argc > 3 && strcmp(argv[3], "getppid") == 0;
  for (long i = 0; i < n; ++i) {
    if (ppid_only) {
      syscall(SYS_getppid);
      continue;
    }
    long fd = syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY);
    if (fd >= 0) {
      ++ok;
      syscall(SYS_close, fd);
    }
  }
  printf("opened %ld of %ld\n", ok, n);
  return 0;
}
