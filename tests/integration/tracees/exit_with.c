/* exit_with: ends in a chosen way, for exit-status tests:
 *   exit_with exit N     exit(N)
 *   exit_with segv       a real invalid write (SIGSEGV, core dumped natively if allowed)
 *   exit_with kill       raise(SIGKILL)
 *   exit_with abort      abort() (SIGABRT) */
#include "util.h"

#include <signal.h>

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  if (!strcmp(argv[1], "exit") && argc == 3) return atoi(argv[2]);
  if (!strcmp(argv[1], "segv")) *(volatile int*)16 = 1;
  if (!strcmp(argv[1], "kill")) raise(SIGKILL);
  if (!strcmp(argv[1], "abort")) abort();
  fprintf(stderr, "exit_with: bad arguments\n");
  return 2;
}
