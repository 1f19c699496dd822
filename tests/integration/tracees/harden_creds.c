/* harden_creds: runs credential and dumpability changes and opens in the order given, printing
 * one line per step, for the tests of non-dumpable, uid-changing and setuid tracees.
 *   ids              prints "ids: ruid=R euid=E dumpable=D"
 *   become UID       setresgid + setresuid to UID (needs CAP_SETUID); prints "become UID = ok"
 *   dumpable 0|1     prctl(PR_SET_DUMPABLE); prints "dumpable N = ok"
 *   open PATH        raw openat; prints "open PATH = FIRST LINE" or the errno name */
#include "util.h"

#include <sys/prctl.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "ids") == 0) {
      printf("ids: ruid=%d euid=%d dumpable=%d\n", (int)getuid(), (int)geteuid(),
             prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    } else if (strcmp(argv[i], "become") == 0 && i + 1 < argc) {
      int id = atoi(argv[++i]);
      int ok = setresgid(id, id, id) == 0 && setresuid(id, id, id) == 0;
      printf("become %d = %s\n", id, ok ? "ok" : errno_name(errno));
    } else if (strcmp(argv[i], "dumpable") == 0 && i + 1 < argc) {
      int d = atoi(argv[++i]);
      printf("dumpable %d = %s\n", d, prctl(PR_SET_DUMPABLE, d, 0, 0, 0) == 0 ? "ok" : errno_name(errno));
    } else if (strcmp(argv[i], "open") == 0 && i + 1 < argc) {
      const char* path = argv[++i];
      long fd = raw_openat(path, O_RDONLY, 0);
      if (fd < 0) {
        printf("open %s = %s\n", path, errno_name((int)-fd));
      } else {
        char buf[256];
        read_all_close((int)fd, buf, sizeof buf);
        char* nl = strchr(buf, '\n');
        if (nl) *nl = '\0';
        printf("open %s = %s\n", path, buf);
      }
    } else {
      fprintf(stderr, "harden_creds: bad step '%s'\n", argv[i]);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}
