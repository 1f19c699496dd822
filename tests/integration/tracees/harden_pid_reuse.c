/* harden_pid_reuse: processes that die in the middle of a rewritten syscall and whose pid is
 * then given to a new process, so a tracer that keeps per-pid state after a death (a pending
 * register restore, an "in syscall" flag) would apply it to the newcomer.
 *   harden_pid_reuse VPATH VFIFO ROUNDS
 * Each round forks a child that opens VPATH (must read "reuse"), then blocks opening VFIFO for
 * reading (a rewritten call still in progress), and is SIGKILLed there. The parent then writes
 * the dead child's pid - 1 to /proc/sys/kernel/ns_last_pid and forks again, so the next child
 * usually gets the same pid (other processes on the machine may take it first: retried up to 5
 * times). That child opens VPATH 50 times checking each, and exits 0.
 * Prints "reuse: R rounds, P pids reused". Without a writable ns_last_pid, prints
 * "reuse: no ns_last_pid" and exits 77. */
#include "util.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static const char* vpath;

static void open_check(void) {
  char buf[64];
  long fd = raw_openat(vpath, O_RDONLY, 0);
  if (fd < 0) {
    fprintf(stderr, "pid %d: open %s: %s\n", getpid(), vpath, errno_name((int)-fd));
    _exit(1);
  }
  read_all_close((int)fd, buf, sizeof buf);
  if (strncmp(buf, "reuse", 5) != 0) {
    fprintf(stderr, "pid %d: open %s: wrong content '%s'\n", getpid(), vpath, buf);
    _exit(1);
  }
}

static char proc_state(pid_t pid) {
  char file[64], stat[512];
  snprintf(file, sizeof file, "/proc/%d/stat", pid);
  int fd = open(file, O_RDONLY);
  if (fd < 0) return '?';
  read_all_close(fd, stat, sizeof stat);
  const char* s = strrchr(stat, ')');
  return s ? s[2] : '?';
}

static int set_last_pid(pid_t pid) {
  int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
  if (fd < 0) return 0;
  char text[32];
  int n = snprintf(text, sizeof text, "%d", pid);
  int ok = write(fd, text, (size_t)n) == n;
  close(fd);
  return ok;
}

int main(int argc, char** argv) {
  test_assert(argc == 4);
  vpath = argv[1];
  const char* vfifo = argv[2];
  int rounds = atoi(argv[3]), reused = 0;
  if (!set_last_pid(getpid() + 1)) {
    printf("reuse: no ns_last_pid\n");
    return 77;
  }
  for (int r = 0; r < rounds; r++) {
    fflush(NULL);
    pid_t dying = fork();
    test_assert(dying >= 0);
    if (dying == 0) {
      open_check();
      raw_openat(vfifo, O_RDONLY, 0); /* blocks: nobody opens it for writing */
      _exit(1);
    }
    /* Wait until it sleeps in the open of the FIFO (it opened VPATH first). */
    struct timespec tick = {0, 2 * 1000 * 1000};
    for (int i = 0; i < 2500 && proc_state(dying) != 'S'; i++) nanosleep(&tick, NULL);
    nanosleep(&tick, NULL);
    test_assert(kill(dying, SIGKILL) == 0);
    int status;
    test_assert(waitpid(dying, &status, 0) == dying);
    test_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    for (int attempt = 0; attempt < 5; attempt++) {
      test_assert(set_last_pid(dying - 1));
      pid_t next = fork();
      test_assert(next >= 0);
      if (next == 0) {
        for (int i = 0; i < 50; i++) open_check();
        _exit(0);
      }
      test_assert(waitpid(next, &status, 0) == next);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "round %d: pid %d (reused: %s) ended with status %#x\n", r, next,
                next == dying ? "yes" : "no", status);
        return 1;
      }
      if (next == dying) {
        reused++;
        break;
      }
    }
  }
  printf("reuse: %d rounds, %d pids reused\n", rounds, reused);
  return 0;
}
