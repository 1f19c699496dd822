/* efault: openat with path pointers the kernel cannot read, and with strings placed exactly at
 * page edges, printing "CASE = RESULT" for each:
 *   bad-pointer     (char*)1                                  EFAULT
 *   prot-none       a PROT_NONE page                          EFAULT
 *   into-unmapped   PATH without NUL at the very end of a page whose successor is unmapped:
 *                   EFAULT, even though the readable part is a whole matching path
 *   nul-at-page-end PATH whose NUL is the last byte of a page followed by an unmapped page
 *   across-pages    PATH starting 5 bytes before the boundary of two mapped pages
 * Usage: efault PATH. The last two are ordinary strings: open as PATH opens. */
#include "util.h"

#include <sys/mman.h>

static void result(const char* what, long fd) {
  if (fd < 0) {
    printf("%s = %s\n", what, errno_name((int)-fd));
    return;
  }
  char buf[256];
  size_t len = read_all_close((int)fd, buf, sizeof buf);
  while (len > 0 && buf[len - 1] == '\n') buf[--len] = '\0';
  printf("%s = %s\n", what, buf);
}

int main(int argc, char** argv) {
  test_assert(argc == 2);
  const char* path = argv[1];
  size_t len = strlen(path);
  long page = sysconf(_SC_PAGESIZE);

  result("bad-pointer", raw_openat((const char*)1, O_RDONLY, 0));

  char* none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(none != MAP_FAILED);
  result("prot-none", raw_openat(none, O_RDONLY, 0));

  char* two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(two != MAP_FAILED);
  result("across-pages", raw_openat(strcpy(two + page - 5, path), O_RDONLY, 0));
  test_assert(munmap(two + page, page) == 0);
  char* end = two + page;
  memcpy(end - len, path, len); /* no NUL: the next byte is unmapped */
  result("into-unmapped", raw_openat(end - len, O_RDONLY, 0));
  memcpy(end - len - 1, path, len + 1);
  result("nul-at-page-end", raw_openat(end - len - 1, O_RDONLY, 0));
  return 0;
}
