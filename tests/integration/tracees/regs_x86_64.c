/* regs_x86_64: an openat made with an inline `syscall` instruction, as code that bypasses libc
 * does, checking what the x86-64 syscall ABI promises: rdi, rsi, rdx, r10, r8 and r9 hold the
 * same values after the syscall as before (only rax, rcx and r11 change), and the 128-byte red
 * zone below rsp is untouched (a tracer must write its scratch strings below it). Also checks
 * the program's own path string was not modified. Usage: regs_x86_64 PATH; prints the file's
 * first line and "registers preserved". Elsewhere than x86_64 it exits 77. */
#include "util.h"

#if defined(__x86_64__)
struct after {
  long rdi, rsi, rdx, r10, r8, r9, rax, red_zone_intact;
};

/* void openat_asm(const char* path, struct after* out): System V call; saves every register it
 * uses that the caller owns. */
void openat_asm(const char* path, struct after* out);
__asm__(
    ".text\n"
    ".globl openat_asm\n"
    ".type openat_asm,@function\n"
    "openat_asm:\n"
    "  push %r15\n"
    "  mov %rsi, %r15\n"
    "  mov %rdi, %rsi\n"                       /* path */
    "  lea -128(%rsp), %rdi\n"                 /* fill the red zone with a pattern */
    "  mov $16, %ecx\n"
    "  movabs $0x5a5a5a5a5a5a5a5a, %rax\n"
    "  cld\n"
    "  rep stosq\n"
    "  mov $-100, %rdi\n"                      /* AT_FDCWD */
    "  xor %edx, %edx\n"                       /* O_RDONLY */
    "  movabs $0x1111222233334444, %r10\n"     /* mode: ignored without O_CREAT */
    "  movabs $0x5555666677778888, %r8\n"      /* unused by openat */
    "  movabs $0x9999aaaabbbbcccc, %r9\n"      /* unused by openat */
    "  mov $257, %eax\n"                       /* __NR_openat */
    "  syscall\n"
    "  mov %rdi, 0(%r15)\n"
    "  mov %rsi, 8(%r15)\n"
    "  mov %rdx, 16(%r15)\n"
    "  mov %r10, 24(%r15)\n"
    "  mov %r8, 32(%r15)\n"
    "  mov %r9, 40(%r15)\n"
    "  mov %rax, 48(%r15)\n"
    "  lea -128(%rsp), %rdi\n"                 /* is the pattern still there? */
    "  mov $16, %ecx\n"
    "  movabs $0x5a5a5a5a5a5a5a5a, %rax\n"
    "  repe scasq\n"
    "  sete %al\n"
    "  movzbq %al, %rax\n"
    "  mov %rax, 56(%r15)\n"
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
