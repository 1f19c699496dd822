/* stack_edge_x86_64: an openat made with the stack pointer 128 bytes above an unmapped page, so
 * the red zone fits but there is no room below it for a tracer's scratch copy of a rewritten
 * path. The tracer must fail the syscall (any errno) and say so; crashing, or passing the
 * original path through, is wrong. Usage: stack_edge_x86_64 PATH; prints "openat = RESULT",
 * RESULT being the file's first line or an errno name. Elsewhere than x86_64 it exits 77. */
#include "util.h"

#include <sys/mman.h>

#if defined(__x86_64__)
#include "openat_with_sp_x86_64.h"

int main(int argc, char** argv) {
  test_assert(argc == 2);
  long page = sysconf(_SC_PAGESIZE);
  char* two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(two != MAP_FAILED);
  test_assert(munmap(two, page) == 0);
  long r = openat_with_sp(argv[1], two + page + 128);
  print_open_result(r);
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
