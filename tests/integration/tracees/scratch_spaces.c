/* scratch_spaces: rewritten calls in every kind of address space redirect must follow with its
 * scratch mapping, each result checked. DIR/a must read "a file", DIR/fifo be a FIFO, DIR/self
 * this program.
 *
 *   scratch_spaces procs DIR    a rewrite in the first process; a fork child's 50 rewrites (it
 *                               inherits the mapping); a vfork child's rewritten execve of
 *                               DIR/self whose new image rewrites 50 times (a new mapping); 8
 *                               threads x 100 rewrites while a 9th is blocked in a rewritten
 *                               open of DIR/fifo (it holds its slot until the writer comes).
 *                               Prints "procs ok".
 *   scratch_spaces exec-child DIR   (the new image of the vfork child) 50 rewrites.
 *   scratch_spaces unmap DIR    finds the anonymous mappings the first rewrite added (the
 *                               maps before and after), tries to munmap each, then makes 100
 *                               more rewrites. Prints "unmap: N new, munmap = RESULT; 100 opens
 *                               ok" (RESULT: ok or an errno name; "none" when N is 0).
 *   scratch_spaces named DIR    after a rewrite, counts "[anon:redirect]" lines in its maps.
 *   scratch_spaces nameprobe    whether this kernel can name anonymous mappings at all. */
#include "util.h"

#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static const char* dir;

static void check_open(const char* name) {
  char path[4096], buf[64];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  test_assert(fd >= 0);
  read_all_close((int)fd, buf, sizeof buf);
  test_assert(strcmp(buf, "a file\n") == 0);
}

static void many_opens(int n) {
  for (int i = 0; i < n; ++i) check_open("a");
}

static void* opener(void* arg) {
  (void)arg;
  many_opens(100);
  return NULL;
}

static void* fifo_reader(void* arg) {
  char path[4096], buf[64];
  snprintf(path, sizeof path, "%s/fifo", dir);
  long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  test_assert(fd >= 0);
  read_all_close((int)fd, buf, sizeof buf);
  test_assert(strcmp(buf, "fifo\n") == 0);
  *(int*)arg = 1;
  return NULL;
}

static int child_status(pid_t pid) {
  int status;
  test_assert(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void procs(const char* fifo_real) {
  many_opens(1);
  pid_t pid = fork();
  test_assert(pid >= 0);
  if (pid == 0) {
    many_opens(50);
    _exit(0);
  }
  test_assert(child_status(pid) == 0);

  char self[4096];
  snprintf(self, sizeof self, "%s/self", dir);
  char* args[] = {"scratch_spaces", "exec-child", (char*)dir, NULL};
  pid = vfork();
  test_assert(pid >= 0);
  if (pid == 0) {
    syscall(SYS_execve, self, args, NULL);
    _exit(127);
  }
  test_assert(child_status(pid) == 0);

  int fifo_done = 0;
  pthread_t reader, threads[8];
  test_assert(pthread_create(&reader, NULL, fifo_reader, &fifo_done) == 0);
  for (int i = 0; i < 8; ++i) test_assert(pthread_create(&threads[i], NULL, opener, NULL) == 0);
  for (int i = 0; i < 8; ++i) test_assert(pthread_join(threads[i], NULL) == 0);
  test_assert(!fifo_done);
  int w = open(fifo_real, O_WRONLY);
  test_assert(w >= 0);
  test_assert(write(w, "fifo\n", 5) == 5);
  close(w);
  test_assert(pthread_join(reader, NULL) == 0);
  test_assert(fifo_done);
  many_opens(1);
  printf("procs ok\n");
}

/* Reads /proc/self/maps into buf (NUL-terminated). */
static void read_maps(char* buf, size_t cap) {
  int fd = open("/proc/self/maps", O_RDONLY);
  test_assert(fd >= 0);
  read_all_close(fd, buf, cap);
}

static char before[1 << 16], after[1 << 16];

static void unmap(void) {
  read_maps(before, sizeof before);
  many_opens(1);
  read_maps(after, sizeof after);
  int found = 0;
  const char* result = "none";
  for (char* line = strtok(after, "\n"); line; line = strtok(NULL, "\n")) {
    unsigned long lo, hi;
    char perms[8];
    int name_at = 0;
    if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &name_at) != 3) continue;
    if (strcmp(perms, "rw-p") != 0 || (name_at && line[name_at] == '/')) continue;
    char start[32];
    snprintf(start, sizeof start, "%lx-%lx ", lo, hi);
    if (strstr(before, start)) continue;
    ++found;
    result = munmap((void*)lo, hi - lo) == 0 ? "ok" : errno_name(errno);
  }
  many_opens(100);
  printf("unmap: %d new, munmap = %s; 100 opens ok\n", found, result);
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  if (strcmp(argv[1], "nameprobe") == 0) {
    void* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    test_assert(p != MAP_FAILED);
    int r = prctl(0x53564d41 /* PR_SET_VMA */, 0 /* PR_SET_VMA_ANON_NAME */, p, 4096, "probe");
    printf("%s\n", r == 0 ? "supported" : "unsupported");
    return 0;
  }
  test_assert(argc >= 3);
  dir = argv[2];
  if (strcmp(argv[1], "procs") == 0) {
    test_assert(argc == 4);
    procs(argv[3]);
  } else if (strcmp(argv[1], "exec-child") == 0) {
    many_opens(50);
  } else if (strcmp(argv[1], "unmap") == 0) {
    unmap();
  } else if (strcmp(argv[1], "named") == 0) {
    many_opens(1);
    read_maps(after, sizeof after);
    int n = 0;
    for (const char* p = after; (p = strstr(p, "[anon:redirect]")); ++p) ++n;
    printf("named: %d\n", n);
  } else {
    test_assert(!"unknown mode");
  }
  return 0;
}
