/* fexec: runs PROG ARGS by descriptor, as fexecve(3) does (execveat(fd, "", ..., AT_EMPTY_PATH)):
 * the program is opened first and exec'd through the descriptor, never by its path.
 * Usage: fexec PROG ARGS... (ARGS[0] is PROG). */
#include "util.h"

extern char** environ;

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  test_assert(fd >= 0);
  syscall(SYS_execveat, fd, "", argv + 1, environ, AT_EMPTY_PATH);
  fprintf(stderr, "execveat %s: %s\n", argv[1], errno_name(errno));
  return 127;
}
