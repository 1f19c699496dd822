/* Where a signal handler runs when the signal interrupts a blocking call on a thread with an
 * alternate signal stack: natively on that stack, and sigaltstack(NULL, &now) inside the
 * handler says so (SS_ONSTACK, a range that holds the handler's stack pointer). Go's runtime
 * relies on it: its handler checks its stack pointer against the stack it is told of, and when
 * neither matches it waits, with every signal blocked, for an M that only cgo programs have.
 * SIGALRM (a timer, no SA_RESTART) interrupts CALL:
 *   pause        pause(), which no rule names
 *   open PATH    openat(PATH, O_RDONLY) of a FIFO that nobody opens for writing
 * Prints "CALL = EINTR, handler on the stack it is told of" (or what it saw instead).
 * Usage: altstack_interrupted CALL [PATH] */
#include "util.h"

#include <signal.h>
#include <stdint.h>
#include <sys/time.h>

static volatile sig_atomic_t handled, told_onstack, sp_inside;

static void on_alarm(int sig) {
  (void)sig;
  volatile char here = 0;
  stack_t now;
  if (sigaltstack(NULL, &now) == 0) {
    const uintptr_t sp = (uintptr_t)&here, lo = (uintptr_t)now.ss_sp;
    told_onstack = (now.ss_flags & SS_ONSTACK) != 0;
    sp_inside = sp > lo && sp - lo <= now.ss_size;
  }
  handled = 1;
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  static char stack_mem[64 * 1024];
  stack_t ss = {.ss_sp = stack_mem, .ss_size = sizeof stack_mem, .ss_flags = 0};
  test_assert(sigaltstack(&ss, NULL) == 0);
  struct sigaction sa = {0};
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_ONSTACK;
  test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
  struct itimerval once = {.it_value = {.tv_sec = 0, .tv_usec = 50000}};
  test_assert(setitimer(ITIMER_REAL, &once, NULL) == 0);
  long r;
  if (!strcmp(argv[1], "pause")) {
#ifdef SYS_pause
    r = syscall(SYS_pause);
#else  // aarch64 has ppoll only; the test runs on x86_64, this keeps the tracee building
    r = syscall(SYS_ppoll, NULL, 0, NULL, NULL, 0);
#endif
  } else {
    test_assert(!strcmp(argv[1], "open") && argc == 3);
    r = syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY);
  }
  const int err = errno;
  test_assert(handled);
  printf("%s = %s, handler %s\n", argv[1], r < 0 ? errno_name(err) : "returned",
         told_onstack && sp_inside ? "on the stack it is told of"
         : told_onstack            ? "told SS_ONSTACK, but its stack pointer is elsewhere"
                                   : "told it is not on an alternate stack");
  return 0;
}
