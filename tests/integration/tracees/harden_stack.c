/* harden_stack: openat of PATH made on a small or nearly exhausted stack, with a PROT_NONE
 * guard page right below that stack. A tracer puts a rewritten path below the stack pointer; it
 * must either succeed inside the stack mapping or fail the call, and never write into the guard
 * (PTRACE_POKEDATA writes with FOLL_FORCE, which goes through PROT_NONE and read-only private
 * pages, so a tracer that falls back to it can write where the program itself could not). After
 * each call the guard is made readable and checked to be all zero.
 *
 *   harden_stack altstack roomy|tight PATH  a SIGUSR1 handler on a sigaltstack of 64 KiB
 *                                           (roomy), or sized so that 256 bytes are left
 *                                           below the handler's frame (tight), opens PATH
 *   harden_stack thread16k PATH             a thread with a 16 KiB stack opens PATH
 *   harden_stack bottom GAP PATH            a thread recurses until its frame is within GAP
 *                                           bytes of the bottom of its 64 KiB stack, opens PATH
 *
 * Prints "MODE: open = RESULT; guard clean" (RESULT: the file's first line or an errno name),
 * or "...; guard touched: N bytes" when any guard byte is not zero. */
#include "util.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>

static long page;
static const char* path;
static char result[512];

/* A mapping of `size` bytes (page multiple) with a PROT_NONE guard page right below it. */
struct region {
  char* guard;
  char* lo; /* lowest usable byte */
  size_t size;
};

static struct region map_region(size_t size) {
  char* m = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(m != MAP_FAILED);
  test_assert(mprotect(m, page, PROT_NONE) == 0);
  struct region r = {m, m + page, size};
  return r;
}

static size_t guard_dirty(const struct region* r) {
  test_assert(mprotect(r->guard, page, PROT_READ) == 0);
  size_t n = 0;
  for (size_t i = 0; i < (size_t)page; i++) n += r->guard[i] != 0;
  return n;
}

/* Opens `path` and keeps the outcome in `result`; uses little stack (static buffer). */
static void open_path(void) {
  static char buf[4096];
  long fd = raw_openat(path, O_RDONLY, 0);
  if (fd < 0) {
    snprintf(result, sizeof result, "%s", errno_name((int)-fd));
    return;
  }
  read_all_close((int)fd, buf, sizeof buf);
  char* nl = strchr(buf, '\n');
  if (nl) *nl = '\0';
  snprintf(result, sizeof result, "%.200s", buf);
}

static void report(const char* mode, const struct region* r) {
  size_t dirty = guard_dirty(r);
  if (dirty == 0)
    printf("%s: open = %s; guard clean\n", mode, result);
  else
    printf("%s: open = %s; guard touched: %zu bytes\n", mode, result, dirty);
}

static long deep_fd;
static int calibrating;
static char* altstack_top;
static size_t handler_depth; /* bytes of the alternate stack in use at the handler's frame */

/* Only the raw syscall runs on the alternate stack (printf needs kilobytes); the result is
 * read after the handler returns. */
static void on_usr1(int sig) {
  (void)sig;
  handler_depth = (size_t)(altstack_top - (char*)__builtin_frame_address(0));
  if (!calibrating) deep_fd = raw_openat(path, O_RDONLY, 0);
}

static void finish_deep_open(void);

/* Runs the handler once on an alternate stack of `size` bytes starting right above r's guard
 * (its size need not be a page multiple). */
static void raise_on(const struct region* r, size_t size) {
  stack_t ss = {.ss_sp = r->lo, .ss_size = size, .ss_flags = 0};
  test_assert(sigaltstack(&ss, NULL) == 0);
  altstack_top = r->lo + size;
  test_assert(raise(SIGUSR1) == 0);
}

static void altstack(const char* size_mode) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_ONSTACK;
  test_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
  struct region roomy = map_region(64 * 1024);
  size_t size = roomy.size;
  if (strcmp(size_mode, "tight") == 0) {
    /* Measure what the kernel's signal frame takes here, then leave 256 bytes below it. */
    calibrating = 1;
    raise_on(&roomy, roomy.size);
    calibrating = 0;
    size = handler_depth + 256;
    /* The kernel refuses a smaller one (ENOMEM): arm64's MINSIGSTKSZ is 5120, more than the
     * frame it then uses. */
    size_t floor = (size_t)sysconf(_SC_MINSIGSTKSZ);
    if (size < floor) size = floor;
  }
  struct region r = map_region((size + (size_t)page - 1) / (size_t)page * (size_t)page);
  raise_on(&r, size);
  finish_deep_open();
  char mode[32];
  snprintf(mode, sizeof mode, "altstack %s", size_mode);
  report(mode, &r);
}

static struct region thread_stack;
static size_t gap;

/* Recurses until this frame is within `gap` bytes of the bottom of the thread's stack, then
 * makes only the raw syscall there (printf and friends need kilobytes of stack); the file is
 * read after unwinding. The volatile array keeps every level's frame. */
static __attribute__((noinline)) void descend(int depth) {
  volatile char pad[64];
  pad[0] = (char)depth;
  char* here = (char*)__builtin_frame_address(0);
  if ((size_t)(here - thread_stack.lo) <= gap)
    deep_fd = raw_openat(path, O_RDONLY, 0);
  else
    descend(depth + 1);
  pad[1] = pad[0];
}

static void* thread_main(void* arg) {
  if (!arg) {
    open_path();
    return NULL;
  }
  descend(0);
  finish_deep_open();
  return NULL;
}

/* The outcome of the raw openat made deep down (deep_fd: fd or -errno) into `result`. */
static void finish_deep_open(void) {
  if (deep_fd < 0) {
    snprintf(result, sizeof result, "%s", errno_name((int)-deep_fd));
    return;
  }
  static char buf[4096];
  read_all_close((int)deep_fd, buf, sizeof buf);
  char* nl = strchr(buf, '\n');
  if (nl) *nl = '\0';
  snprintf(result, sizeof result, "%.200s", buf);
}

static void run_thread(const char* mode, size_t size, int recurse) {
  /* glibc refuses a stack below PTHREAD_STACK_MIN (EINVAL): 16 KiB on x86_64, 128 KiB on
   * aarch64, where "thread16k" is then a thread of the smallest stack it can have. */
  size_t floor = (size_t)sysconf(_SC_THREAD_STACK_MIN);
  if (size < floor) size = floor;
  thread_stack = map_region(size);
  pthread_attr_t attr;
  test_assert(pthread_attr_init(&attr) == 0);
  test_assert(pthread_attr_setstack(&attr, thread_stack.lo, size) == 0);
  pthread_t t;
  test_assert(pthread_create(&t, &attr, thread_main, recurse ? (void*)1 : NULL) == 0);
  test_assert(pthread_join(t, NULL) == 0);
  report(mode, &thread_stack);
}

int main(int argc, char** argv) {
  page = sysconf(_SC_PAGESIZE);
  /* Binds syscall() now: lazy binding at the bottom of a stack needs kilobytes (xsave). */
  test_assert(syscall(SYS_getpid) == getpid());
  errno = 0; /* and __errno_location, which the failure path of raw_openat calls */
  if (argc == 4 && strcmp(argv[1], "altstack") == 0) {
    path = argv[3];
    altstack(argv[2]);
  } else if (argc == 3 && strcmp(argv[1], "thread16k") == 0) {
    path = argv[2];
    run_thread("thread16k", 16 * 1024, 0);
  } else if (argc == 4 && strcmp(argv[1], "bottom") == 0) {
    gap = (size_t)atol(argv[2]);
    path = argv[3];
    char mode[32];
    snprintf(mode, sizeof mode, "bottom %zu", gap);
    run_thread(mode, 64 * 1024, 1);
  } else {
    fprintf(stderr, "usage: harden_stack altstack roomy|tight PATH | thread16k PATH | "
                    "bottom GAP PATH\n");
    return 2;
  }
  return 0;
}
