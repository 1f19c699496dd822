/* altstack_canary: a rewritten openat made from a signal handler running on a small
 * sigaltstack that lives inside a larger buffer of the program's (as a malloc'ed alternate stack
 * does), with 8 KiB of canary bytes right below it. The alternate stack is sized so that only
 * about 1 KiB is free below the handler's stack pointer: a tracer that writes a long rewritten
 * path below sp without knowing the stack's bounds overwrites the canary, silently corrupting
 * the program's memory. With "failed-change", the program then asks for a new alternate stack
 * that is too small (sigaltstack fails with ENOMEM, the old one stays in force) before the
 * signal: a tracer that believes the failed call loses track of the real alternate stack.
 * Usage: altstack_canary PATH [failed-change]; prints "openat = FIRST LINE|ERRNO" and
 * "canary intact" or "canary overwritten (N bytes)". */
#include "util.h"

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

enum { canary_size = 8192 };

static const char* path;
static volatile uintptr_t handler_sp;
static volatile int measure;
static long result;

static void on_usr1(int sig) {
  (void)sig;
  char here;
  handler_sp = (uintptr_t)&here;
  if (measure) return;
  result = raw_openat(path, O_RDONLY, 0);
}

static void set_altstack(char* base, size_t size) {
  stack_t ss = {.ss_sp = base, .ss_flags = 0, .ss_size = size};
  test_assert(sigaltstack(&ss, NULL) == 0);
}

int main(int argc, char** argv) {
  test_assert(argc == 2 || argc == 3);
  path = argv[1];
  int failed_change = argc == 3 && !strcmp(argv[2], "failed-change");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_ONSTACK;
  test_assert(sigaction(SIGUSR1, &sa, NULL) == 0);

  /* Bind syscall() now: a lazy PLT resolution inside the handler saves the whole register
   * state (kilobytes with AVX-512) on the small alternate stack, natively overflowing it. The
   * same for __errno_location, which raw_openat calls only when the call fails (as it may
   * under redirect): its first call in the handler overwrote ~600 canary bytes itself. */
  long fd = raw_openat("/dev/null", O_RDONLY, 0);
  test_assert(fd >= 0);
  close((int)fd);
  test_assert(raw_openat("", O_RDONLY, 0) == -ENOENT);

  size_t total = 64 * 1024;
  char* buf = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(buf != MAP_FAILED);

  /* How much of an alternate stack does delivery use before the handler's locals? */
  measure = 1;
  set_altstack(buf + total - 32 * 1024, 32 * 1024);
  raise(SIGUSR1);
  size_t used = (size_t)((uintptr_t)(buf + total) - handler_sp);

  size_t size = (used + 1024 + 15) & ~(size_t)15;
  long min = sysconf(_SC_MINSIGSTKSZ);
  if (min > 0 && size < (size_t)min) size = (size_t)min;
  char* alt = buf + canary_size;
  char* canary = alt - canary_size; /* == buf */
  memset(canary, 0xAB, canary_size);
  measure = 0;
  set_altstack(alt, size);
  if (failed_change) {
    static char tiny[256];
    stack_t ss = {.ss_sp = tiny, .ss_flags = 0, .ss_size = sizeof tiny};
    test_assert(sigaltstack(&ss, NULL) == -1 && errno == ENOMEM);
  }
  raise(SIGUSR1);

  if (result < 0) {
    printf("openat = %s\n", errno_name((int)-result));
  } else {
    char text[256];
    read_all_close((int)result, text, sizeof text);
    char* nl = strchr(text, '\n');
    if (nl) *nl = '\0';
    printf("openat = %s\n", text);
  }
  size_t bad = 0;
  for (size_t i = 0; i < canary_size; i++) bad += (unsigned char)canary[i] != 0xAB;
  if (bad == 0)
    printf("canary intact\n");
  else
    printf("canary overwritten (%zu bytes)\n", bad);
  return 0;
}
