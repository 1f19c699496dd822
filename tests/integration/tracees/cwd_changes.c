/* The working directory changes under a tracee in every way the kernel allows, and each
 * relative open that follows must be matched against the directory's name as it is now:
 *   cwd_changes HOST chdir      chdir(HOST/other), then chdir(HOST/app)
 *   cwd_changes HOST fchdir     another thread (sharing the fs) fchdirs into HOST/app
 *   cwd_changes HOST unshare    a thread leaves the shared fs (unshare(CLONE_FS)) and chdirs
 *   cwd_changes HOST setns      setns(CLONE_NEWNS) into its own mount namespace: cwd is "/"
 *   cwd_changes HOST chroot     chroot(HOST/jail): the cwd stays outside the new root
 *   cwd_changes HOST rename     in HOST/away/d, waits on the FIFO HOST/go while someone else
 *                               renames HOST/away to HOST/app
 *   cwd_changes HOST removed    in HOST/app (empty), waits on HOST/go while someone else
 *                               removes it (rmdir, or a directory renamed over it)
 * Each open is made twice in a row, so a name kept from the first would show at the second.
 * Prints "LABEL = first line of the file" or "LABEL = ERRNO". */
#include "util.h"

#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>

static const char* host;

static void in(const char* rel) {
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", host, rel);
  test_assert(chdir(p) == 0);
}

static void show(const char* label, const char* rel) {
  for (int i = 0; i < 2; ++i) {
    printf("%s: ", label);
    print_open_result(raw_openat(rel, O_RDONLY, 0));
  }
  fflush(stdout);
}

static void* fchdir_app(void* arg) {
  (void)arg;
  char p[4096];
  snprintf(p, sizeof p, "%s/app", host);
  // Not openat, on which the rule acts: open, or openat2 where there is no open (aarch64).
#ifdef SYS_open
  int fd = (int)syscall(SYS_open, p, O_RDONLY | O_DIRECTORY);
#else
  struct open_how how = {.flags = O_RDONLY | O_DIRECTORY};
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, p, &how, sizeof how);
#endif
  test_assert(fd >= 0);
  test_assert(fchdir(fd) == 0);
  close(fd);
  return NULL;
}

static void* unshare_other(void* arg) {
  (void)arg;
  show("thread, shared cwd app", "f");
  test_assert(unshare(CLONE_FS) == 0);
  in("other");
  show("thread, own cwd other", "f");
  return NULL;
}

static void in_thread(void* (*fn)(void*)) {
  pthread_t t;
  test_assert(pthread_create(&t, NULL, fn, NULL) == 0);
  test_assert(pthread_join(t, NULL) == 0);
}

// Blocks until someone else has changed the tree and opened HOST/go for writing.
static void wait_go(void) {
  char p[4096];
  snprintf(p, sizeof p, "%s/go", host);
  int go = open(p, O_RDONLY);
  test_assert(go >= 0);
  close(go);
}

static int by_mode(const char* mode) {
  char p[4096];
  if (strcmp(mode, "chdir") == 0) {
    in("other"), show("other", "f");
    in("app"), show("app", "f");
  } else if (strcmp(mode, "fchdir") == 0) {
    in("other"), show("other", "f");
    in_thread(fchdir_app);
    show("after the thread's fchdir", "f");
  } else if (strcmp(mode, "unshare") == 0) {
    in("app"), show("app", "f");
    in_thread(unshare_other);
    show("main, cwd app", "f");
  } else if (strcmp(mode, "setns") == 0) {
    in("app"), show("app", "f");
    int ns = open("/proc/self/ns/mnt", O_RDONLY);
    test_assert(ns >= 0);
    if (setns(ns, CLONE_NEWNS) != 0) return printf("setns = %s\n", errno_name(errno)), 0;
    show("after setns, cwd /", "redirect-cwd-test-f");
  } else if (strcmp(mode, "chroot") == 0) {
    in("app"), show("app", "f");
    snprintf(p, sizeof p, "%s/jail", host);
    if (chroot(p) != 0) return printf("chroot = %s\n", errno_name(errno)), 0;
    show("after chroot, cwd outside the root", "f");
  } else if (strcmp(mode, "rename") == 0) {
    in("away/d"), show("away/d", "f");
    wait_go();
    show("after the rename, app/d", "f");
  } else if (strcmp(mode, "removed") == 0) {
    in("app"), show("app", "f");
    wait_go();
    show("after app was removed", "f");
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}

int main(int argc, char** argv) {
  test_assert(argc == 3);
  host = argv[1];
  return by_mode(argv[2]);
}
