/* openat2(dirfd, NAME, RESOLVE_BENEATH) and (..., RESOLVE_IN_ROOT), dirfd open on DIR: prints
 * the first line of what each opened, or the errno name. Usage: openat2_confined DIR NAME */
#include <linux/openat2.h>

#include "util.h"

static void try_open(int dirfd, const char *name, unsigned long long resolve, const char *label) {
  struct open_how how = {.flags = O_RDONLY | O_CLOEXEC, .resolve = resolve};
  long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof how);
  if (fd < 0) {
    printf("%s = %s\n", label, errno_name(errno));
    return;
  }
  char buf[128] = "";
  ssize_t n = read((int)fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  printf("%s = %s\n", label, buf);
  close((int)fd);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: openat2_confined DIR NAME\n");
    return 2;
  }
  int dirfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  test_assert(dirfd >= 0);
  try_open(dirfd, argv[2], RESOLVE_BENEATH, "beneath");
  try_open(dirfd, argv[2], RESOLVE_IN_ROOT, "in_root");
  return 0;
}
