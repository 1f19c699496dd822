/* coroutine_stack: openat of PATH on a 16 KiB makecontext stack whose stack pointer is within
 * GAP bytes of its low end, with another coroutine's memory right below it (a readable,
 * writable neighbour filled with a pattern, as in any program that carves coroutine stacks out
 * of one allocation). Memory below the stack pointer is not free here: a tracer that puts a
 * rewritten path there overwrites the neighbour. After the call the neighbour is checked byte
 * by byte.
 *
 *   coroutine_stack GAP PATH
 *
 * Prints "coroutine: open = RESULT; neighbour clean" (RESULT: the file's first line or an
 * errno name), or "...; neighbour changed: N bytes". */
#include "util.h"

#include <alloca.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

enum { kStack = 16 * 1024, kNeighbour = 64 * 1024, kPattern = 0xa5 };

static ucontext_t main_ctx, co_ctx;
static char* stack_lo;
static size_t gap;
static const char* path;
static char result[512];

static __attribute__((noinline)) void open_here(void) {
  long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  if (fd < 0) {
    snprintf(result, sizeof result, "%s", errno_name(errno));
    return;
  }
  read_all_close((int)fd, result, sizeof result);
  result[strcspn(result, "\n")] = 0;
}

static void coroutine(void) {
  char here;
  size_t room = (size_t)(&here - stack_lo);
  test_assert(room > gap + 256);
  /* Move the stack pointer down to within about `gap` bytes of the low end. */
  volatile char* pad = alloca(room - gap - 256);
  pad[0] = 1;
  open_here();
}

int main(int argc, char** argv) {
  test_assert(argc == 3);
  gap = strtoul(argv[1], NULL, 0);
  /* Bind every libc symbol open_here uses now: the lazy-binding resolver saves the vector
   * registers on the stack (kilobytes with AVX-512) and would itself reach the neighbour. */
  path = "/dev/null";
  open_here();
  path = argv[2];
  char* region = mmap(NULL, kNeighbour + kStack, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(region != MAP_FAILED);
  memset(region, kPattern, kNeighbour);
  stack_lo = region + kNeighbour;
  test_assert(getcontext(&co_ctx) == 0);
  co_ctx.uc_stack.ss_sp = stack_lo;
  co_ctx.uc_stack.ss_size = kStack;
  co_ctx.uc_link = &main_ctx;
  makecontext(&co_ctx, coroutine, 0);
  test_assert(swapcontext(&main_ctx, &co_ctx) == 0);
  size_t changed = 0;
  for (size_t i = 0; i < kNeighbour; ++i) changed += (unsigned char)region[i] != kPattern;
  if (changed == 0)
    printf("coroutine: open = %s; neighbour clean\n", result);
  else
    printf("coroutine: open = %s; neighbour changed: %zu bytes\n", result, changed);
  return 0;
}
