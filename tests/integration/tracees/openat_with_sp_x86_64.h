/* long openat_with_sp(const char* path, char* sp): openat(AT_FDCWD, path, O_RDONLY) made with
 * rsp set to `sp` for the duration of the syscall; returns rax (the fd or -errno). For the
 * tracees that put the stack pointer at an edge (an unmapped page, the bottom of [stack]) to
 * see where a tracer's scratch copy of a rewritten path can go. No signal may arrive meanwhile.
 * x86_64 only; include it inside `#if defined(__x86_64__)`. Not a tracee: the build globs *.c. */
#ifndef REDIRECT_TRACEE_OPENAT_WITH_SP_X86_64_H
#define REDIRECT_TRACEE_OPENAT_WITH_SP_X86_64_H

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

#endif
