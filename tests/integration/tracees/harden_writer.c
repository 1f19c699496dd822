/* harden_writer: a busy program that writes files the safe way (write a temporary, then rename
 * it over the final name) through rewritten relative paths, forever, until killed; for killing
 * its tracer at random points. Three processes of two threads each write; a fourth keeps
 * forking and exec'ing `harden_writer --once` (one file, then exit), so a kill can also land in
 * a fork or an exec.
 *
 *   harden_writer run          writes virt-tmp.W.N, renames it to virt-out.W.(N % 32); the rule
 *                              maps virt-NAME to real/NAME. Never returns.
 *   harden_writer --once ID    one such file, then exits 0
 *   harden_writer --check DIR  checks every DIR/out.* file: its header "W N LEN\n" and LEN bytes
 *                              that depend on W, N and their offset. Prints "checked K files" or
 *                              names the first bad file and exits 1. tmp.* files are ignored.
 *
 * All file syscalls are raw (openat, renameat), so the driver's rule knows what to catch. */
#include "util.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/wait.h>

#define BODY_MAX 12288

static char body_byte(long w, long n, size_t i) { return (char)('a' + (i * 31 + (size_t)(w * 7 + n)) % 26); }

static size_t make_content(long w, long n, char* buf) {
  size_t len = 1024 + (size_t)((w * 131 + n * 17) % (BODY_MAX - 1024));
  size_t h = (size_t)sprintf(buf, "%ld %ld %zu\n", w, n, len);
  for (size_t i = 0; i < len; i++) buf[h + i] = body_byte(w, n, i);
  return h + len;
}

static void write_one(long w, long n) {
  static __thread char buf[BODY_MAX + 64];
  char tmp[64], out[64];
  snprintf(tmp, sizeof tmp, "virt-tmp.%ld.%ld", w, n);
  snprintf(out, sizeof out, "virt-out.%ld.%ld", w, n % 32);
  size_t size = make_content(w, n, buf);
  long fd = raw_openat(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    fprintf(stderr, "open %s: %s\n", tmp, errno_name((int)-fd));
    _exit(1);
  }
  test_assert(write((int)fd, buf, size) == (ssize_t)size);
  test_assert(close((int)fd) == 0);
  if (syscall(SYS_renameat, AT_FDCWD, tmp, AT_FDCWD, out) != 0) {
    fprintf(stderr, "rename %s %s: %s\n", tmp, out, errno_name(errno));
    _exit(1);
  }
}

static void* writer(void* arg) {
  long w = (long)arg;
  for (long n = 0;; n++) write_one(w, n);
  return NULL;
}

static int check(const char* dir) {
  DIR* d = opendir(dir);
  test_assert(d != NULL);
  static char buf[BODY_MAX + 128];
  int count = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, "out.", 4) != 0) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    int fd = open(path, O_RDONLY);
    test_assert(fd >= 0);
    size_t got = read_all_close(fd, buf, sizeof buf);
    long w, n;
    size_t len;
    int h;
    if (sscanf(buf, "%ld %ld %zu\n%n", &w, &n, &len, &h) != 3 || got != (size_t)h + len) {
      printf("bad file %s: %zu bytes, header '%.30s'\n", e->d_name, got, buf);
      return 1;
    }
    for (size_t i = 0; i < len; i++)
      if (buf[h + i] != body_byte(w, n, i)) {
        printf("bad file %s: byte %zu differs\n", e->d_name, i);
        return 1;
      }
    count++;
  }
  closedir(d);
  printf("checked %d files\n", count);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--check") == 0) return check(argv[2]);
  if (argc == 3 && strcmp(argv[1], "--once") == 0) {
    write_one(atol(argv[2]), 0);
    return 0;
  }
  test_assert(argc == 2 && strcmp(argv[1], "run") == 0);
  for (long p = 0; p < 3; p++) {
    if (fork() != 0) continue;
    pthread_t t;
    test_assert(pthread_create(&t, NULL, writer, (void*)(p * 2 + 1)) == 0);
    writer((void*)(p * 2));
  }
  for (long n = 0;; n++) {
    char id[32];
    snprintf(id, sizeof id, "%ld", 100 + n % 50);
    pid_t pid = fork();
    test_assert(pid >= 0);
    if (pid == 0) {
      execl("/proc/self/exe", "harden_writer", "--once", id, (char*)NULL);
      _exit(127);
    }
    int status;
    test_assert(waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "--once %s: status %#x\n", id, status);
      _exit(1);
    }
  }
}
