/* fifo_regs: one openat(PATH, O_RDONLY) of a FIFO with an inline `syscall` (argument registers
 * checked after it), which blocks until a writer comes: while it blocks the test freezes and
 * thaws the process (cgroup freezer), which makes the kernel restart the call without any
 * signal (the instruction pointer rewound onto the syscall instruction, or into redirect's
 * return stub, whose first bytes lead back to the program's own). Usage: fifo_regs PATH;
 * prints what it read and "registers preserved". Elsewhere than x86_64 it exits 77. */
#include "util.h"

#if defined(__x86_64__)
int main(int argc, char** argv) {
  test_assert(argc == 2);
  const char* path = argv[1];
  register long r10 __asm__("r10") = 0x1111222233334444L;
  register long r8 __asm__("r8") = 0x5555666677778888L;
  register long r9 __asm__("r9") = (long)0x9999aaaabbbbccccUL;
  long rax = SYS_openat, rdi = -100, rdx = O_RDONLY;
  const char* rsi = path;
  __asm__ volatile("syscall"
                   : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                   :
                   : "rcx", "r11", "memory");
  const int regs_ok = rdi == -100 && rsi == path && rdx == O_RDONLY &&
                      r10 == 0x1111222233334444L && r8 == 0x5555666677778888L &&
                      r9 == (long)0x9999aaaabbbbccccUL;
  if (rax < 0) {
    printf("open %s = %s\n", path, errno_name((int)-rax));
    return 1;
  }
  char buf[64];
  read_all_close((int)rax, buf, sizeof buf);
  printf("read: %s\n", buf);
  test_assert(regs_ok);
  printf("registers preserved\n");
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
