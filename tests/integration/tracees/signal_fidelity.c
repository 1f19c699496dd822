/* signal_fidelity: what a program sees of its own signals, for a backend that owns SIGSYS and
 * runs its handler inside the program (--backend inproc) to be compared with a native run.
 * Each CASE prints one line:
 *   own-sigsys     the program's SIGSYS handler runs for raise(SIGSYS), and sigaction reads it
 *                  back ("own-sigsys = handled 1, readback ok")
 *   mask-blocks    a blocked SIGUSR1 stays pending until unblocked ("mask-blocks = pending,
 *                  delivered after unblock")
 *   altstack       sigaltstack set, read back (SS_ONSTACK inside the handler), disabled; a
 *                  handler on the alternate stack opens PATH ("altstack = ... first line")
 *   efault         openat with a bad pointer fails with EFAULT ("efault = EFAULT")
 * Usage: signal_fidelity CASE [PATH]. */
#include "util.h"

#include <signal.h>
#include <stdint.h>

static volatile sig_atomic_t handled;
static const char* open_path;
static char line_from_handler[128];
static int onstack_in_handler;

static void on_sigsys(int sig) { (void)sig; handled++; }

static void on_usr1(int sig) { (void)sig; handled++; }

static void on_usr2(int sig) {
  (void)sig;
  stack_t now;
  test_assert(sigaltstack(NULL, &now) == 0);
  onstack_in_handler = (now.ss_flags & SS_ONSTACK) != 0;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, open_path, O_RDONLY);
  if (fd < 0) {
    snprintf(line_from_handler, sizeof line_from_handler, "%s", errno_name(errno));
    return;
  }
  ssize_t n = read(fd, line_from_handler, sizeof line_from_handler - 1);
  close(fd);
  line_from_handler[n > 0 ? n : 0] = '\0';
  char* nl = strchr(line_from_handler, '\n');
  if (nl) *nl = '\0';
}

static void own_sigsys(void) {
  struct sigaction sa = {0}, back;
  sa.sa_handler = on_sigsys;
  test_assert(sigaction(SIGSYS, &sa, NULL) == 0);
  test_assert(sigaction(SIGSYS, NULL, &back) == 0);
  raise(SIGSYS);
  printf("own-sigsys = handled %d, readback %s\n", (int)handled,
         back.sa_handler == on_sigsys ? "ok" : "wrong");
}

static void mask_blocks(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  test_assert(sigaction(SIGUSR1, &sa, NULL) == 0);
  sigset_t block, old, pending;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  test_assert(sigprocmask(SIG_BLOCK, &block, &old) == 0);
  raise(SIGUSR1);
  test_assert(sigpending(&pending) == 0);
  int was_pending = sigismember(&pending, SIGUSR1) && handled == 0;
  sigset_t now;
  test_assert(sigprocmask(SIG_SETMASK, NULL, &now) == 0);
  int reads_blocked = sigismember(&now, SIGUSR1);
  test_assert(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
  printf("mask-blocks = %s, %s, delivered %s unblock\n", was_pending ? "pending" : "NOT pending",
         reads_blocked ? "reads blocked" : "reads NOT blocked",
         handled == 1 ? "after" : "NOT after");
}

static void altstack(void) {
  static char stack_mem[64 * 1024];
  stack_t ss = {.ss_sp = stack_mem, .ss_size = sizeof stack_mem, .ss_flags = 0}, back;
  test_assert(sigaltstack(&ss, NULL) == 0);
  test_assert(sigaltstack(NULL, &back) == 0);
  int same = back.ss_sp == stack_mem && back.ss_size == sizeof stack_mem && back.ss_flags == 0;
  struct sigaction sa = {0};
  sa.sa_handler = on_usr2;
  sa.sa_flags = SA_ONSTACK;
  test_assert(sigaction(SIGUSR2, &sa, NULL) == 0);
  raise(SIGUSR2);
  stack_t off = {.ss_flags = SS_DISABLE};
  test_assert(sigaltstack(&off, NULL) == 0);
  test_assert(sigaltstack(NULL, &back) == 0);
  printf("altstack = set %s, onstack in handler %s, disabled %s, handler read: %s\n",
         same ? "reads back" : "WRONG", onstack_in_handler ? "yes" : "no",
         (back.ss_flags & SS_DISABLE) ? "yes" : "no", line_from_handler);
}

static void efault(void) {
  long r = syscall(SYS_openat, AT_FDCWD, (const char*)(uintptr_t)8, O_RDONLY);
  printf("efault = %s\n", r < 0 ? errno_name(errno) : "opened");
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  open_path = argc > 2 ? argv[2] : "/nonexistent";
  if (!strcmp(argv[1], "own-sigsys")) own_sigsys();
  else if (!strcmp(argv[1], "mask-blocks")) mask_blocks();
  else if (!strcmp(argv[1], "altstack")) altstack();
  else if (!strcmp(argv[1], "efault")) efault();
  else test_assert(!"unknown case");
  return 0;
}
