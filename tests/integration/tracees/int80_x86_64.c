/* int80_x86_64: a 64-bit program making an i386 openat (number 295) with `int $0x80`, the path
 * in memory below 4 GiB (MAP_32BIT) so the 32-bit pointer reaches it. The kernel runs it as an
 * i386 syscall (seccomp sees AUDIT_ARCH_I386), so a filter or tracer that only knows x86_64
 * numbers misses it. With FIRST, a 64-bit openat of FIRST comes before (so a tracer that
 * rewrites it has made its scratch memory for 64-bit calls, above 4 GiB, by then).
 * Usage: int80_x86_64 PATH [FIRST]; prints "syscall openat = FIRST LINE|ERRNO" for FIRST,
 * then "openat = FIRST LINE|ERRNO" for PATH. Exits 77 elsewhere than x86_64; dies of SIGSEGV where the
 * kernel has no IA32 emulation. */
#include "util.h"

#include <sys/mman.h>

#if defined(__x86_64__)
int main(int argc, char** argv) {
  test_assert(argc == 2 || argc == 3);
  if (argc == 3) {
    printf("syscall ");
    print_open_result(raw_openat(argv[2], O_RDONLY, 0));
  }
  char* low = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                   -1, 0);
  test_assert(low != MAP_FAILED);
  snprintf(low, 4096, "%s", argv[1]);
  long r;
  __asm__ volatile("int $0x80"
                   : "=a"(r)
                   : "a"(295), "b"(-100), "c"(low), "d"(O_RDONLY), "S"(0)
                   : "memory");
  print_open_result(r);
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
