/* example_frob_helper: installed by tests/integration/example-helpers-exec.sh as
 * $SNAP/usr/lib/frob/frob-helper, the helper example_frob starts by its hard-coded path
 * /usr/lib/frob/frob-helper. Prints its first argument and where the kernel says it runs from
 * (/proc/self/exe): redirect rewrites the path the program passes but does not translate
 * what the kernel returns, so this shows the $SNAP path. Exits 7, a status the driver checks. */
#include "util.h"

#include <limits.h>

int main(int argc, char** argv) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  test_assert(n > 0);
  exe[n] = '\0';
  printf("frob-helper: %s exe=%s\n", argc > 1 ? argv[1] : "(no argument)", exe);
  return 7;
}
