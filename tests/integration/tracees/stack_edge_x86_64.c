/* stack_edge_x86_64: an openat made with the stack pointer 128 bytes above an unmapped page, so
 * the red zone fits but there is no room below it for a tracer's scratch copy of a rewritten
 * path. The tracer must fail the syscall (any errno) and say so; crashing, or passing the
 * original path through, is wrong. Usage: stack_edge_x86_64 PATH; prints "openat = RESULT",
 * RESULT being the file's first line or an errno name. Elsewhere than x86_64 it exits 77. */
#include "util.h"

#include <sys/mman.h>

#if defined(__x86_64__)
/* long openat_with_sp(const char* path, char* sp): openat(AT_FDCWD, path, O_RDONLY) with rsp
 * set to sp for the duration of the syscall; returns rax. No signal may arrive meanwhile. */
long openat_with_sp(const char* path, char* sp);
__asm__(
    ".text\n"
    ".globl openat_with_sp\n"
    ".type openat_with_sp,@function\n"
    "openat_with_sp:\n"
    "  push %rbx\n"
    "  mov %rsp, %rbx\n"
    "  mov %rsi, %rsp\n"
    "  mov %rdi, %rsi\n"
    "  mov $-100, %rdi\n"
    "  xor %edx, %edx\n"
    "  xor %r10d, %r10d\n"
    "  mov $257, %eax\n"
    "  syscall\n"
    "  mov %rbx, %rsp\n"
    "  pop %rbx\n"
    "  ret\n"
    ".size openat_with_sp, .-openat_with_sp\n");

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
