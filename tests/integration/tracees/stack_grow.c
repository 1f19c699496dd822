/* stack_grow PATH: an openat made with the stack pointer 64 bytes above the lowest page
 * of the main thread's stack mapping ([stack] in /proc/self/maps), as a program deep in a
 * recursion is. Below that page the stack has not grown yet, and since Linux 6.5
 * process_vm_writev/PTRACE_POKEDATA no longer grow it (mm/gup.c: "GUP no longer grows the
 * stack"), so a tracer that writes a rewritten path there must make the stack grow first.
 * Natively the call just works. Prints "openat = FIRST LINE" or "openat = ERRNO".
 * x86_64 only (inline asm); elsewhere it prints "not x86_64" and exits 77. */
#include "util.h"

#if defined(__x86_64__)
#include "openat_with_sp_x86_64.h"

static unsigned long stack_low(void) {
  char line[512];
  unsigned long lo = 0, hi = 0;
  FILE* f = fopen("/proc/self/maps", "r");
  test_assert(f != NULL);
  while (fgets(line, sizeof line, f))
    if (strstr(line, "[stack]")) test_assert(sscanf(line, "%lx-%lx", &lo, &hi) == 2);
  fclose(f);
  test_assert(lo != 0);
  return lo;
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  long r = openat_with_sp(argv[1], (char*)stack_low() + 64);
  print_open_result(r);
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
