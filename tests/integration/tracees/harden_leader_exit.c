/* harden_leader_exit: the thread-group leader exits (the exit syscall of its thread only) while
 * other threads go on, so a tracer sees the leader's exit long before the process ends.
 *   harden_leader_exit open PATH N        3 threads each open PATH N times, checking it starts
 *                                         with "leader"; the last one prints
 *                                         "threads done: 3 x N" and exits the process with 3
 *   harden_leader_exit exec PROG ARGS...  a thread waits until the leader is a zombie, then
 *                                         execs PROG (the kernel must reap the old leader and
 *                                         give the thread its pid) */
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

extern char** environ;
static const char* path;
static int count;
static atomic_int running = 3;
static pid_t leader;
static char** exec_argv;

static void wait_leader_zombie(void) {
  char file[64], stat[512];
  snprintf(file, sizeof file, "/proc/self/task/%d/stat", leader);
  for (int i = 0; i < 1000; i++) {
    int fd = open(file, O_RDONLY);
    if (fd < 0) return; /* gone already */
    size_t n = read_all_close(fd, stat, sizeof stat);
    const char* s = strrchr(stat, ')');
    if (n > 0 && s && (s[2] == 'Z' || s[2] == 'X')) return;
    usleep(1000);
  }
  fprintf(stderr, "the leader never became a zombie\n");
  _exit(1);
}

static void* opener(void* arg) {
  (void)arg;
  wait_leader_zombie();
  char buf[64];
  for (int i = 0; i < count; i++) {
    long fd = raw_openat(path, O_RDONLY, 0);
    if (fd < 0) {
      fprintf(stderr, "open %d of %s: %s\n", i, path, errno_name((int)-fd));
      _exit(1);
    }
    read_all_close((int)fd, buf, sizeof buf);
    test_assert(strncmp(buf, "leader", 6) == 0);
  }
  if (atomic_fetch_sub(&running, 1) == 1) {
    printf("threads done: 3 x %d\n", count);
    fflush(stdout);
    exit(3);
  }
  for (;;) pause();
  return NULL;
}

static void* execer(void* arg) {
  (void)arg;
  wait_leader_zombie();
  syscall(SYS_execve, exec_argv[0], exec_argv, environ);
  printf("execve %s = %s\n", exec_argv[0], errno_name(errno));
  fflush(stdout);
  _exit(1);
  return NULL;
}

int main(int argc, char** argv) {
  leader = getpid();
  pthread_t t;
  if (argc == 4 && strcmp(argv[1], "open") == 0) {
    path = argv[2];
    count = atoi(argv[3]);
    for (int i = 0; i < 3; i++) test_assert(pthread_create(&t, NULL, opener, NULL) == 0);
  } else if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
    exec_argv = argv + 2;
    test_assert(pthread_create(&t, NULL, execer, NULL) == 0);
  } else {
    fprintf(stderr, "usage: harden_leader_exit open PATH N | exec PROG ARGS...\n");
    return 2;
  }
  syscall(SYS_exit, 0); /* this thread only; the process lives on */
  return 1;
}
