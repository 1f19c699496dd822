/* regs_x86_64: an openat made with an inline `syscall` instruction, as code that bypasses libc
 * does, checking what the x86-64 syscall ABI promises: rdi, rsi, rdx, r10, r8 and r9 hold the
 * same values after the syscall as before (only rax, rcx and r11 change), and the 128-byte red
 * zone below rsp is untouched (a tracer must write its scratch strings below it); rcx holds the
 * address after `syscall` and r11 the flags, callee-saved registers and rsp are unchanged. Also checks
 * the program's own path string was not modified. Usage: regs_x86_64 PATH; prints the file's
 * first line and "registers preserved". Elsewhere than x86_64 it exits 77. */
#include "util.h"

#if defined(__x86_64__)
struct after {
  long rdi, rsi, rdx, r10, r8, r9, rax, red_zone_intact;
  long rcx, r11, flags_before, return_address, rbx, rbp, r14, rsp_same;
};

/* void openat_asm(const char* path, struct after* out): System V call; saves every register it
 * uses that the caller owns. rcx and r11 are what the `syscall` instruction leaves there: the
 * address after it and the flags as they were (pushfq just before; nothing in between changes
 * a flag). rbx, rbp and r14 hold patterns across the call, r12 the stack pointer. */
void openat_asm(const char* path, struct after* out);
__asm__(
    ".text\n"
    ".globl openat_asm\n"
    ".type openat_asm,@function\n"
    "openat_asm:\n"
    "  push %r15\n"
    "  push %r14\n"
    "  push %r13\n"
    "  push %r12\n"
    "  push %rbx\n"
    "  push %rbp\n"
    "  mov %rsi, %r15\n"
    "  mov %rdi, %rsi\n"                       /* path */
    "  cld\n"
    "  pushfq\n"                               /* the flags `syscall` will save in r11 */
    "  pop %r13\n"
    "  lea -128(%rsp), %rdi\n"                 /* fill the red zone with a pattern */
    "  mov $16, %ecx\n"
    "  movabs $0x5a5a5a5a5a5a5a5a, %rax\n"
    "  rep stosq\n"
    "  mov $-100, %rdi\n"                      /* AT_FDCWD */
    "  mov $0, %edx\n"                         /* O_RDONLY (xor would change the flags) */
    "  movabs $0x1111222233334444, %r10\n"     /* mode: ignored without O_CREAT */
    "  movabs $0x5555666677778888, %r8\n"      /* unused by openat */
    "  movabs $0x9999aaaabbbbcccc, %r9\n"      /* unused by openat */
    "  movabs $0x0123456789abcdef, %rbx\n"
    "  movabs $0x7edcba9876543210, %rbp\n"
    "  movabs $0x0f1e2d3c4b5a6978, %r14\n"
    "  mov %rsp, %r12\n"
    "  mov $257, %eax\n"                       /* __NR_openat */
    "  syscall\n"
    "1:\n"
    "  mov %rdi, 0(%r15)\n"
    "  mov %rsi, 8(%r15)\n"
    "  mov %rdx, 16(%r15)\n"
    "  mov %r10, 24(%r15)\n"
    "  mov %r8, 32(%r15)\n"
    "  mov %r9, 40(%r15)\n"
    "  mov %rax, 48(%r15)\n"
    "  mov %rcx, 64(%r15)\n"
    "  mov %r11, 72(%r15)\n"
    "  mov %r13, 80(%r15)\n"
    "  lea 1b(%rip), %rax\n"
    "  mov %rax, 88(%r15)\n"
    "  mov %rbx, 96(%r15)\n"
    "  mov %rbp, 104(%r15)\n"
    "  mov %r14, 112(%r15)\n"
    "  xor %eax, %eax\n"
    "  cmp %rsp, %r12\n"
    "  sete %al\n"
    "  mov %rax, 120(%r15)\n"
    "  lea -128(%rsp), %rdi\n"                 /* is the pattern still there? */
    "  mov $16, %ecx\n"
    "  movabs $0x5a5a5a5a5a5a5a5a, %rax\n"
    "  repe scasq\n"
    "  sete %al\n"
    "  movzbq %al, %rax\n"
    "  mov %rax, 56(%r15)\n"
    "  pop %rbp\n"
    "  pop %rbx\n"
    "  pop %r12\n"
    "  pop %r13\n"
    "  pop %r14\n"
    "  pop %r15\n"
    "  ret\n"
    ".size openat_asm, .-openat_asm\n");

int main(int argc, char** argv) {
  test_assert(argc == 2);
  char path[4096];
  snprintf(path, sizeof path, "%s", argv[1]);
  struct after a;
  openat_asm(path, &a);
  if (a.rax < 0) {
    printf("openat %s = %s\n", argv[1], errno_name((int)-a.rax));
    return 1;
  }
  char buf[256];
  read_all_close((int)a.rax, buf, sizeof buf);
  char* nl = strchr(buf, '\n');
  if (nl) *nl = '\0';
  printf("%s\n", buf);
  test_assert(a.rdi == -100);
  test_assert(a.rsi == (long)path);
  test_assert(a.rdx == 0);
  test_assert(a.r10 == 0x1111222233334444L);
  test_assert(a.r8 == 0x5555666677778888L);
  test_assert(a.r9 == (long)0x9999aaaabbbbccccUL);
  test_assert(a.red_zone_intact == 1);
  test_assert(a.rcx == a.return_address);
  test_assert(a.r11 == a.flags_before);
  test_assert(a.rbx == 0x0123456789abcdefL);
  test_assert(a.rbp == 0x7edcba9876543210L);
  test_assert(a.r14 == 0x0f1e2d3c4b5a6978L);
  test_assert(a.rsp_same == 1);
  test_assert(strcmp(path, argv[1]) == 0);
  printf("registers preserved\n");
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
