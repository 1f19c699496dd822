/* fsops: runs a sequence of file system syscalls given on the command line, each through
 * syscall(SYS_xxx) so the driver knows which syscall its rule must catch, and prints one line
 * per operation: "OP ARGS = RESULT", RESULT being "ok", a file's content, or an errno name.
 * Drivers compare these lines with the native run or with an expected text.
 *
 *   fsops open P | open_legacy P | openat2 P | create P TEXT | stat P | statx P | access P
 *         | faccessat2 P | unlink P | mkdir P | readlink P | chdir P | truncate P (to 3 bytes)
 *         | chmod P (0600) | utimens P (now) | futimens P (open P, then utimensat(fd, NULL))
 *         | inotify P | getxattr P (user.redirect) | rename A B | renameat A B
 *         | renameat2 A B | link A B | linkat A B | symlink TARGET LINK | symlinkat TARGET LINK
 *         | exec P ARGS... | execveat P ARGS... (both take the rest of the command line)
 *
 * Legacy syscalls (open, rename, link, symlink) exist on x86_64 but not on aarch64; there the
 * op prints "unsupported" so the expected output differs visibly rather than silently. */
#include "util.h"

#include <linux/fs.h>
#include <linux/openat2.h>
#include <sys/inotify.h>
#include <sys/stat.h>

extern char** environ;

static void print_result(const char* op, const char* a, const char* b, long r,
                         const char* text) {
  printf("%s %s%s%s = ", op, a, b ? " " : "", b ? b : "");
  if (r < 0)
    printf("%s\n", errno_name((int)-r));
  else
    printf("%s\n", text ? text : "ok");
  fflush(stdout);
}

static long ret(long r) { return r < 0 ? -errno : r; }

static void do_open(const char* op, const char* path, long fd) {
  if (fd < 0) {
    print_result(op, path, NULL, fd, NULL);
    return;
  }
  static char buf[1 << 16];
  size_t len = read_all_close((int)fd, buf, sizeof buf);
  while (len > 0 && buf[len - 1] == '\n') buf[--len] = '\0';
  print_result(op, path, NULL, 0, buf);
}

int main(int argc, char** argv) {
  int i = 1;
  while (i < argc) {
    const char* op = argv[i];
    const char* a = i + 1 < argc ? argv[i + 1] : NULL;
    const char* b = i + 2 < argc ? argv[i + 2] : NULL;
    test_assert(a != NULL);
    int two = 0;
    long r;
    if (!strcmp(op, "open")) {
      do_open(op, a, raw_openat(a, O_RDONLY, 0));
    } else if (!strcmp(op, "open_legacy")) {
#ifdef SYS_open
      do_open(op, a, ret(syscall(SYS_open, a, O_RDONLY, 0)));
#else
      printf("%s %s = unsupported\n", op, a);
#endif
    } else if (!strcmp(op, "create")) {
      test_assert(b != NULL);
      two = 1;
      r = raw_openat(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (r >= 0) {
        test_assert(write((int)r, b, strlen(b)) == (ssize_t)strlen(b));
        close((int)r);
      }
      print_result(op, a, b, r, NULL);
    } else if (!strcmp(op, "stat")) {
#ifdef SYS_newfstatat
      struct stat st;
      r = ret(syscall(SYS_newfstatat, AT_FDCWD, a, &st, 0));
#else /* i386 */
      struct stat64 st;
      r = ret(syscall(SYS_fstatat64, AT_FDCWD, a, &st, 0));
#endif
      char text[64];
      snprintf(text, sizeof text, "size %lld", (long long)st.st_size);
      print_result(op, a, NULL, r, text);
    } else if (!strcmp(op, "access")) {
      print_result(op, a, NULL, ret(syscall(SYS_faccessat, AT_FDCWD, a, R_OK)), NULL);
    } else if (!strcmp(op, "unlink")) {
      print_result(op, a, NULL, ret(syscall(SYS_unlinkat, AT_FDCWD, a, 0)), NULL);
    } else if (!strcmp(op, "mkdir")) {
      print_result(op, a, NULL, ret(syscall(SYS_mkdirat, AT_FDCWD, a, 0755)), NULL);
    } else if (!strcmp(op, "readlink")) {
      char text[4096];
      r = ret(syscall(SYS_readlinkat, AT_FDCWD, a, text, sizeof text - 1));
      if (r >= 0) text[r] = '\0';
      print_result(op, a, NULL, r, text);
    } else if (!strcmp(op, "openat2")) {
      struct open_how how;
      memset(&how, 0, sizeof how);
      how.flags = O_RDONLY;
      do_open(op, a, ret(syscall(SYS_openat2, AT_FDCWD, a, &how, sizeof how)));
    } else if (!strcmp(op, "statx")) {
      struct statx stx;
      r = ret(syscall(SYS_statx, AT_FDCWD, a, 0, STATX_SIZE, &stx));
      char text[64];
      snprintf(text, sizeof text, "size %llu", (unsigned long long)stx.stx_size);
      print_result(op, a, NULL, r, text);
    } else if (!strcmp(op, "faccessat2")) {
      print_result(op, a, NULL, ret(syscall(SYS_faccessat2, AT_FDCWD, a, R_OK, 0)), NULL);
    } else if (!strcmp(op, "chdir")) {
      print_result(op, a, NULL, ret(syscall(SYS_chdir, a)), NULL);
    } else if (!strcmp(op, "truncate")) {
      print_result(op, a, NULL, ret(syscall(SYS_truncate, a, 3)), NULL);
    } else if (!strcmp(op, "chmod")) {
      print_result(op, a, NULL, ret(syscall(SYS_fchmodat, AT_FDCWD, a, 0600)), NULL);
    } else if (!strcmp(op, "utimens")) {
      print_result(op, a, NULL, ret(syscall(SYS_utimensat, AT_FDCWD, a, NULL, 0)), NULL);
    } else if (!strcmp(op, "futimens")) {
      r = raw_openat(a, O_RDONLY, 0);
      if (r >= 0) {
        long fd = r;
        r = ret(syscall(SYS_utimensat, (int)fd, NULL, NULL, 0));
        close((int)fd);
      }
      print_result(op, a, NULL, r, NULL);
    } else if (!strcmp(op, "inotify")) {
      int in = inotify_init1(IN_CLOEXEC);
      test_assert(in >= 0);
      r = ret(syscall(SYS_inotify_add_watch, in, a, IN_OPEN));
      close(in);
      print_result(op, a, NULL, r < 0 ? r : 0, NULL);
    } else if (!strcmp(op, "getxattr")) {
      char value[64];
      r = ret(syscall(SYS_getxattr, a, "user.redirect", value, sizeof value));
      print_result(op, a, NULL, r < 0 ? r : 0, NULL);
    } else if (!strcmp(op, "execveat")) {
      r = ret(syscall(SYS_execveat, AT_FDCWD, a, argv + i + 1, environ, 0));
      print_result(op, a, NULL, r, NULL);
      return 1;
    } else if (!strcmp(op, "exec")) {
      r = ret(syscall(SYS_execve, a, argv + i + 1, environ));
      print_result(op, a, NULL, r, NULL);
      return 1;
    } else {
      test_assert(b != NULL);
      two = 1;
      if (!strcmp(op, "renameat")) {
        r = syscall(SYS_renameat, AT_FDCWD, a, AT_FDCWD, b);
      } else if (!strcmp(op, "renameat2")) {
        r = syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE);
      } else if (!strcmp(op, "linkat")) {
        r = syscall(SYS_linkat, AT_FDCWD, a, AT_FDCWD, b, 0);
      } else if (!strcmp(op, "symlinkat")) {
        r = syscall(SYS_symlinkat, a, AT_FDCWD, b);
#if defined(SYS_rename) && defined(SYS_link) && defined(SYS_symlink)
      } else if (!strcmp(op, "rename")) {
        r = syscall(SYS_rename, a, b);
      } else if (!strcmp(op, "link")) {
        r = syscall(SYS_link, a, b);
      } else if (!strcmp(op, "symlink")) {
        r = syscall(SYS_symlink, a, b);
#else
      } else if (!strcmp(op, "rename") || !strcmp(op, "link") || !strcmp(op, "symlink")) {
        printf("%s %s %s = unsupported\n", op, a, b);
        i += 3;
        continue;
#endif
      } else {
        fprintf(stderr, "fsops: unknown op '%s'\n", op);
        return 2;
      }
      print_result(op, a, b, ret(r), NULL);
    }
    i += two ? 3 : 2;
  }
  return 0;
}
