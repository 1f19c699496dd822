/* The experiment behind bench/README.md's "a cache of the cwd name made exact by a signal":
 * does an inotify event that an untraced process causes reach a tracer as a signal *before*
 * waitpid() reports a stop of a tracee that the same process caused right after?
 *
 * Tracer (this process): an inotify fd with O_ASYNC and F_SETOWN_EX(F_OWNER_TID, itself), so
 * the kernel sends it SIGIO when an event is queued (fs/notify/notification.c: kill_fasync
 * right after the event is added, inside the renamer's rename()); a SIGIO handler sets a flag.
 * It watches DIR/a and DIR/a/d (IN_MOVE_SELF | IN_DELETE_SELF) and ptraces a child that only
 * pause()s. Renamer (a second child, not traced): renames DIR/a <-> DIR/b, then kill()s the
 * tracee with SIGUSR1, then waits for the tracer's ack. At each signal-delivery stop the
 * tracer checks the flag: set means the rename was seen before the stop, as a cache
 * invalidated by the flag would need. Usage: cwd_signal_order [ITERATIONS [SPIN]] (SPIN: busy
 * loops before each waitpid, so the stop is sometimes already queued when it is called).
 * Prints the counts; exits 1 if any stop came before its rename's signal. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t renamed;
static void on_sigio(int sig) {
  (void)sig;
  renamed = 1;
}

static void die(const char* what) {
  perror(what);
  exit(2);
}

int main(int argc, char** argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 10000;
  int spin = argc > 2 ? atoi(argv[2]) : 0;
  char dir[] = "/tmp/cwd_signal_order.XXXXXX", a[64], b[64], ad[64];
  if (!mkdtemp(dir)) die("mkdtemp");
  snprintf(a, sizeof a, "%s/a", dir);
  snprintf(b, sizeof b, "%s/b", dir);
  snprintf(ad, sizeof ad, "%s/a/d", dir);
  if (mkdir(a, 0700) != 0 || mkdir(ad, 0700) != 0) die("mkdir");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigio;
  sa.sa_flags = SA_RESTART;
  if (sigaction(SIGIO, &sa, NULL) != 0) die("sigaction");
  int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) die("inotify_init1");
  struct f_owner_ex owner = {F_OWNER_TID, (pid_t)syscall(SYS_gettid)};
  if (fcntl(in, F_SETOWN_EX, &owner) != 0) die("F_SETOWN_EX");
  if (fcntl(in, F_SETFL, fcntl(in, F_GETFL) | O_ASYNC) != 0) die("O_ASYNC");
  if (inotify_add_watch(in, a, IN_MOVE_SELF | IN_DELETE_SELF) < 0 ||
      inotify_add_watch(in, ad, IN_MOVE_SELF | IN_DELETE_SELF) < 0)
    die("inotify_add_watch");

  pid_t tracee = fork();
  if (tracee == 0)
    for (;;) pause();
  if (ptrace(PTRACE_SEIZE, tracee, 0, 0) != 0) die("PTRACE_SEIZE");
  int ack[2];
  if (pipe(ack) != 0) die("pipe");
  pid_t renamer = fork();
  if (renamer == 0) {
    char c;
    for (int i = 0; i < iterations; ++i) {
      if (rename(i % 2 ? b : a, i % 2 ? a : b) != 0) _exit(3);
      kill(tracee, SIGUSR1);
      if (read(ack[0], &c, 1) != 1) _exit(4);
    }
    _exit(0);
  }

  int seen = 0, missed = 0;
  char events[4096];
  for (int i = 0; i < iterations; ++i) {
    for (volatile int k = 0; k < spin; ++k) {
    }
    int status;
    pid_t w;
    do w = waitpid(tracee, &status, __WALL);
    while (w < 0 && errno == EINTR);
    if (w != tracee || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGUSR1) die("waitpid");
    if (renamed)
      ++seen;
    else
      ++missed;
    renamed = 0;
    while (read(in, events, sizeof events) > 0) {
    }
    if (ptrace(PTRACE_CONT, tracee, 0, 0) != 0) die("PTRACE_CONT");
    if (write(ack[1], "x", 1) != 1) die("write");
  }
  int status;
  waitpid(renamer, &status, 0);
  kill(tracee, SIGKILL);
  waitpid(tracee, NULL, __WALL);
  char bd[64];
  snprintf(bd, sizeof bd, "%s/b/d", dir);
  rmdir(ad), rmdir(bd), rmdir(a), rmdir(b), rmdir(dir);
  printf("%d stops: rename signalled first %d, stop first %d (renamer status %d)\n", iterations,
         seen, missed, WEXITSTATUS(status));
  return missed != 0;
}
