/* stub_signals: N rewritten openat calls made with an inline `syscall` (argument registers
 * checked after each) while SIGALRM fires every 300 us. Each signal that arrives while a
 * rewritten call is in the kernel is delivered on its way back to the program, which is where
 * redirect's return stub runs (one stop per rewrite): the handler must still see the
 * program's own instruction pointer in its ucontext, never an address in an anonymous
 * executable mapping (redirect's stubs), and the handler itself makes a rewritten openat of
 * HPATH (a rewrite nested in the interrupted one, using the same thread's scratch slot).
 * Modes: "restart" (SA_RESTART), "norestart", "altstack" (SA_ONSTACK on a sigaltstack).
 * Usage: stub_signals PATH HPATH MODE N [INTERVAL_US] (default 300; an emulated machine needs
 * more, or the handlers never catch up with the timer). Prints what happened, for comparison
 * with the native run. Elsewhere than x86_64 it exits 77. */
#include "util.h"

#include <signal.h>
#include <sys/time.h>
#include <ucontext.h>

#if defined(__x86_64__)
#define MAX_SEEN 65536
static unsigned long seen_ip[MAX_SEEN];
static volatile sig_atomic_t handled, handler_bad;
static const char* handler_path;

static void on_alarm(int sig, siginfo_t* info, void* uc_void) {
  (void)sig;
  (void)info;
  ucontext_t* uc = uc_void;
  if (handled < MAX_SEEN) seen_ip[handled] = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
  char buf[16] = {0};
  long fd = raw_openat(handler_path, O_RDONLY, 0);
  long n = fd >= 0 ? syscall(SYS_read, (int)fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0) syscall(SYS_close, (int)fd);
  if (n != 7 || memcmp(buf, "handler", 7) != 0) handler_bad++;
  handled++;
}

/* openat(AT_FDCWD, path, O_RDONLY) with r10, r8, r9 set too; *regs_ok: every argument
 * register came back as it was. */
static long checked_openat(const char* path, int* regs_ok) {
  register long r10 __asm__("r10") = 0x1111222233334444L;
  register long r8 __asm__("r8") = 0x5555666677778888L;
  register long r9 __asm__("r9") = (long)0x9999aaaabbbbccccUL;
  long rax = SYS_openat, rdi = -100, rdx = O_RDONLY;
  const char* rsi = path;
  __asm__ volatile("syscall"
                   : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                   :
                   : "rcx", "r11", "memory");
  *regs_ok = rdi == -100 && rsi == path && rdx == O_RDONLY && r10 == 0x1111222233334444L &&
             r8 == 0x5555666677778888L && r9 == (long)0x9999aaaabbbbccccUL;
  return rax;
}

/* How many of the instruction pointers the handler saw lie in an anonymous executable
 * mapping (no file: not the program, libc or the vDSO). */
static int seen_in_anonymous_code(int count) {
  FILE* f = fopen("/proc/self/maps", "r");
  test_assert(f != NULL);
  char line[512];
  int bad = 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi, inode;
    char perms[8], path[256] = "";
    if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %255s", &lo, &hi, perms, &inode, path) < 4)
      continue;
    if (perms[2] != 'x' || inode != 0 || (path[0] && strncmp(path, "[anon:", 6) != 0)) continue;
    for (int i = 0; i < count; ++i) bad += seen_ip[i] >= lo && seen_ip[i] < hi;
  }
  fclose(f);
  return bad;
}

int main(int argc, char** argv) {
  test_assert(argc == 5 || argc == 6);
  const long interval = argc == 6 ? atol(argv[5]) : 300;
  handler_path = argv[2];
  const char* mode = argv[3];
  const long n = atol(argv[4]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_alarm;
  sa.sa_flags = SA_SIGINFO;
  if (!strcmp(mode, "restart")) {
    sa.sa_flags |= SA_RESTART;
  } else if (!strcmp(mode, "altstack")) {
    static char alt[64 * 1024];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    test_assert(sigaltstack(&ss, NULL) == 0);
    sa.sa_flags |= SA_ONSTACK | SA_RESTART;
  } else {
    test_assert(!strcmp(mode, "norestart"));
  }
  test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
  struct itimerval it = {{0, interval}, {0, interval}};
  test_assert(setitimer(ITIMER_REAL, &it, NULL) == 0);
  long opened = 0, regs_bad = 0;
  /* At least N calls, and on until a signal came (a fast machine may finish N before the
   * first tick). */
  for (long i = 0; i < n || (handled == 0 && i < 10000 * n); ++i) {
    int regs_ok = 0;
    long fd = checked_openat(argv[1], &regs_ok);
    regs_bad += !regs_ok;
    if (fd == -EINTR) continue;
    if (fd < 0) {
      printf("open %s = %s\n", argv[1], errno_name((int)-fd));
      return 1;
    }
    char buf[64];
    read_all_close((int)fd, buf, sizeof buf);
    opened += strcmp(buf, "main\n") == 0;
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  test_assert(setitimer(ITIMER_REAL, &off, NULL) == 0);
  const int count = handled < MAX_SEEN ? (int)handled : MAX_SEEN;
  printf("opens: %s\n", opened > 0 && regs_bad == 0 ? "ok" : "BAD");
  printf("handled: %s\n", handled > 0 ? "yes" : "no");
  printf("handler opens: %s\n", handler_bad == 0 ? "ok" : "BAD");
  printf("handler saw the stub: %d times\n", seen_in_anonymous_code(count));
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
