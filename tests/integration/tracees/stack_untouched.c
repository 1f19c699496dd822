/* stack_untouched: whether a system call writes on the program's stack below its stack pointer,
 * which natively it never does (a Go thread that ends relies on it: it marks its stack free for
 * another thread to take, then calls exit). Two checks, each with no alternate signal stack:
 * - "below-sp": 64 KiB below a stack pointer of ours are filled with a pattern, a getppid and
 *   an openat of PATH are made from assembly with that stack pointer, and the pattern is
 *   compared: "below-sp untouched" or "below-sp written (N bytes)".
 * - "exit": a thread moves its stack pointer to the top of a region it has just made
 *   PROT_NONE and calls exit there: any frame written for that call kills the process with
 *   SIGSEGV; "exit on a dead stack: joined" otherwise.
 * Usage: stack_untouched PATH. x86_64 only (exit 77 elsewhere). */
#include "util.h"

#if defined(__x86_64__)
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

enum { area_size = 64 * 1024 };

/* getppid, then openat(AT_FDCWD, path, O_RDONLY) (closed again), with rsp = `sp`. */
static long calls_at(char* sp, const char* path) {
  long fd;
  __asm__ volatile(
      "mov %%rsp, %%r12\n\t"
      "mov %[sp], %%rsp\n\t"
      "mov $110, %%eax\n\t"
      "syscall\n\t"
      "mov $257, %%eax\n\t"
      "mov $-100, %%rdi\n\t"
      "mov %[path], %%rsi\n\t"
      "xor %%edx, %%edx\n\t"
      "syscall\n\t"
      "mov %%r12, %%rsp\n\t"
      : "=a"(fd)
      : [sp] "r"(sp), [path] "r"(path)
      : "rcx", "r11", "rdi", "rsi", "rdx", "r12", "memory");
  return fd;
}

static void below_sp(const char* path) {
  char* area = mmap(NULL, area_size + 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(area != MAP_FAILED);
  memset(area, 0xa5, area_size);
  long fd = calls_at(area + area_size, path);
  size_t written = 0;
  for (size_t i = 0; i < area_size; ++i) written += (unsigned char)area[i] != 0xa5;
  if (fd >= 0) close((int)fd);
  if (written == 0)
    printf("below-sp untouched, openat %s\n", fd >= 0 ? "opened" : errno_name((int)-fd));
  else
    printf("below-sp written (%zu bytes)\n", written);
}

static char* dead_area;

/* Never returns: exit(0) with rsp at the top of `dead_area`, made PROT_NONE first. */
static void* exit_on_dead_stack(void* arg) {
  (void)arg;
  __asm__ volatile(
      "mov %[top], %%rsp\n\t"
      "mov $10, %%eax\n\t"
      "mov %[lo], %%rdi\n\t"
      "mov %[len], %%rsi\n\t"
      "xor %%edx, %%edx\n\t"
      "syscall\n\t"
      "mov $60, %%eax\n\t"
      "xor %%edi, %%edi\n\t"
      "syscall\n\t"
      "hlt\n\t"
      :
      : [top] "r"(dead_area + area_size), [lo] "r"(dead_area), [len] "r"((long)area_size)
      : "rax", "rcx", "r11", "rdi", "rsi", "rdx", "memory");
  return NULL;
}

static void exit_dead(void) {
  dead_area = mmap(NULL, area_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(dead_area != MAP_FAILED);
  pthread_t t;
  test_assert(pthread_create(&t, NULL, exit_on_dead_stack, NULL) == 0);
  test_assert(pthread_join(t, NULL) == 0);
  printf("exit on a dead stack: joined\n");
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  below_sp(argv[1]);
  exit_dead();
  return 0;
}
#else
int main(void) { return 77; }
#endif
