/* dirfd_ops: relative paths that reach a redirected directory through directory fds and
 * working directories that are not redirected themselves, each call made with syscall(SYS_xxx)
 * so the driver knows which syscall its rule must catch. Prints one line per case,
 * "CASE = RESULT" (a file's content, "ok", or an errno name).
 *
 *   dirfd_ops PARENT   PARENT/app is the directory the rules redirect; PARENT is not, and
 *                      PARENT/app/child/file and PARENT/app/t/t-file exist on both sides
 *                      with different contents, so a read shows which side it reached.
 *   dirfd_ops --long PARENT   opens PARENT/app/child/file through a relative string that,
 *                      joined to the working directory, is longer than PATH_MAX. */
#include "util.h"

#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>

static void show(const char* what, long r, const char* text) {
  if (r < 0)
    printf("%s = %s\n", what, errno_name((int)-r));
  else
    printf("%s = %s\n", what, text ? text : "ok");
  fflush(stdout);
}

static long ret(long r) { return r < 0 ? -errno : r; }

/* Reads file `name` relative to `dirfd` and prints it (or the errno). */
static void show_read(const char* what, int dirfd, const char* name) {
  long fd = ret(syscall(SYS_openat, dirfd, name, O_RDONLY, 0));
  char buf[256] = "";
  if (fd >= 0) {
    size_t len = read_all_close((int)fd, buf, sizeof buf);
    while (len > 0 && buf[len - 1] == '\n') buf[--len] = '\0';
  }
  show(what, fd < 0 ? fd : 0, buf);
}

static long write_file(int dirfd, const char* name, const char* text) {
  long fd = ret(syscall(SYS_openat, dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644));
  if (fd < 0) return fd;
  test_assert(write((int)fd, text, strlen(text)) == (ssize_t)strlen(text));
  close((int)fd);
  return 0;
}

static int open_dir(const char* path) {
  int fd = (int)ret(syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0));
  test_assert(fd >= 0);
  return fd;
}

static char parent[2048];

/* A thread that leaves the shared working directory (unshare(CLONE_FS)) for PARENT/..: its
 * relative names resolve from there, while the main thread's stay in PARENT. */
static void* own_cwd_thread(void* arg) {
  (void)arg;
  test_assert(syscall(SYS_unshare, CLONE_FS) == 0);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/..", parent);
  show("thread: unshare(CLONE_FS), chdir PARENT/..", ret(syscall(SYS_chdir, dir)), NULL);
  const char* base = strrchr(parent, '/') + 1;
  char rel[4096];
  snprintf(rel, sizeof rel, "%s/app/t/t-file", base);
  show_read("thread: read PARENT_NAME/app/t/t-file", AT_FDCWD, rel);
  return NULL;
}

/* A thread with descriptors of its own (unshare(CLONE_FILES)): the number of the main
 * thread's PARENT/.. fd names PARENT in it, and the rules must see the directory this
 * thread's number names. */
static int parent_fd, grandparent_fd;
static void* own_files_thread(void* arg) {
  (void)arg;
  test_assert(syscall(SYS_unshare, CLONE_FILES) == 0);
  test_assert(dup2(parent_fd, grandparent_fd) == grandparent_fd);
  show_read("files thread: unshare(CLONE_FILES), the PARENT/.. fd number on PARENT: "
            "read app/child/file", grandparent_fd, "app/child/file");
  return NULL;
}

static int long_relative(void) {
  test_assert(syscall(SYS_chdir, parent) == 0);
  static char name[4096];
  size_t n = (size_t)snprintf(name, sizeof name, "app/");
  while (n + 9 + 10 < 4090) n += (size_t)snprintf(name + n, sizeof name - n, "child/../");
  snprintf(name + n, sizeof name - n, "child/file");
  show_read("read app/(child/../)*child/file, longer than PATH_MAX once joined", AT_FDCWD,
            name);
  return 0;
}

int main(int argc, char** argv) {
  test_assert(argc == 2 || (argc == 3 && !strcmp(argv[1], "--long")));
  snprintf(parent, sizeof parent, "%s", argv[argc - 1]);
  if (argc == 3) return long_relative();
  char path[4096];

  /* openat(dirfd of PARENT, "app/child/file") */
  int pfd = open_dir(parent);
  show_read("openat(PARENT fd, app/child/file)", pfd, "app/child/file");

  /* renameat with two different dirfds, neither of them redirected */
  snprintf(path, sizeof path, "%s/..", parent);
  int gfd = open_dir(path);
  const char* base = strrchr(parent, '/') + 1;
  char from[4096], to[4096];
  snprintf(from, sizeof from, "%s/app/child/a", base);
  snprintf(to, sizeof to, "app/b");
  show("write PARENT_NAME/app/child/a (PARENT/.. fd)", write_file(gfd, from, "moved"), NULL);
  show("renameat(PARENT/.. fd, PARENT_NAME/app/child/a, PARENT fd, app/b)",
       ret(syscall(SYS_renameat, gfd, from, pfd, to)), NULL);
  show_read("openat(PARENT fd, app/b)", pfd, "app/b");

  /* mkdirat, then a relative path with . and // in it */
  show("mkdirat(PARENT fd, app/new)", ret(syscall(SYS_mkdirat, pfd, "app/new", 0755)), NULL);
  show("write .//app/new/./x", write_file(pfd, ".//app/new/./x", "dots"), NULL);
  show_read("openat(PARENT fd, app/new/x)", pfd, "app/new/x");

  /* A dirfd that is a regular file: ENOTDIR, as natively. */
  snprintf(path, sizeof path, "%s/plain", parent);
  int file = (int)ret(syscall(SYS_openat, AT_FDCWD, path, O_RDONLY, 0));
  test_assert(file >= 0);
  show_read("openat(regular file fd, app/child/file)", file, "app/child/file");
  /* A pipe as dirfd: ENOTDIR too; a closed one: EBADF. */
  int p[2];
  test_assert(pipe(p) == 0);
  show_read("openat(pipe fd, app/child/file)", p[0], "app/child/file");
  show_read("openat(closed fd 999, app/child/file)", 999, "app/child/file");

  /* AT_EMPTY_PATH with "": the fd itself, untouched. */
  struct stat st;
  long r = ret(syscall(SYS_newfstatat, file, "", &st, AT_EMPTY_PATH));
  show("newfstatat(regular file fd, \"\", AT_EMPTY_PATH)", r,
       r == 0 && S_ISREG(st.st_mode) ? "a regular file" : "not the fd's file");

  /* chdir into PARENT, then relative names */
  show("chdir PARENT", ret(syscall(SYS_chdir, parent)), NULL);
  show_read("read app/child/file", AT_FDCWD, "app/child/file");
  /* A negative dirfd other than AT_FDCWD is no working directory: EBADF, as natively. */
  show_read("openat(negative fd -5, app/child/file)", -5, "app/child/file");
  show("write app/cwd-made", write_file(AT_FDCWD, "app/cwd-made", "cwd"), NULL);
  /* chdir into the redirected directory by a relative name, then relative names again */
  show("chdir app", ret(syscall(SYS_chdir, "app")), NULL);
  show_read("read child/file", AT_FDCWD, "child/file");

  /* Two threads: one leaves the shared cwd with unshare(CLONE_FS) and moves elsewhere. */
  show("chdir PARENT again", ret(syscall(SYS_chdir, parent)), NULL);
  pthread_t t;
  test_assert(pthread_create(&t, NULL, own_cwd_thread, NULL) == 0);
  test_assert(pthread_join(t, NULL) == 0);
  show_read("main: read app/child/file (its cwd is still PARENT)", AT_FDCWD, "app/child/file");
  parent_fd = pfd;
  grandparent_fd = gfd;
  test_assert(pthread_create(&t, NULL, own_files_thread, NULL) == 0);
  test_assert(pthread_join(t, NULL) == 0);
  snprintf(from, sizeof from, "%s/app/child/file", base);
  show_read("main: read PARENT_NAME/app/child/file (its PARENT/.. fd is unchanged)", gfd, from);
  return 0;
}
