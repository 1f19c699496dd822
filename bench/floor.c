/* The floor of this machine: what ptrace stops cost when the tracer does nothing, or only the
 * minimum a path rewriter must do, so bench/run.py can say how far `redirect` is above it.
 *
 * `floor stops N [REPEATS]`: a tracee calls getppid() N times between two clock_gettime()s
 * (vDSO: no syscall, so the timed loop holds only the N calls) and sends the elapsed time
 * through a pipe. Prints `VARIANT NS` lines: native ns per call, then for each traced variant
 * the extra ns per call over native (median of REPEATS interleaved runs):
 *   seccomp       SECCOMP_RET_TRACE, PTRACE_CONT: one stop per call
 *   seccomp-exit  seccomp stop, PTRACE_SYSCALL, exit stop, PTRACE_CONT: two stops per call
 *                 (what a rewrite needs: entry, and exit to restore the registers)
 *   seccomp-work  seccomp-exit plus the minimum tracer work of a rewrite (see rewrite_entry)
 *   syscall-pair  no filter, PTRACE_SYSCALL at every stop: an entry and an exit stop per call
 * getppid ignores its arguments, so the tracee passes a path pointer in rsi for seccomp-work to
 * read and rewrite, as openat's would be.
 *
 * `floor trace MODE [FROM TO] -- PROG ARGS...`: runs PROG with openat trapped by seccomp and
 * the same do-nothing tracer, so run.py can time a workload at the floor in the same rounds as
 * the tools. MODE seccomp (one stop per openat), seccomp-exit (two), or rewrite: a minimal
 * rewriter that replaces the prefix FROM of openat's path by TO with exactly five tracer
 * syscalls at entry (PTRACE_GET_SYSCALL_INFO, process_vm_readv, process_vm_writev,
 * PTRACE_POKEUSER, PTRACE_SYSCALL) and two at exit (PTRACE_POKEUSER, PTRACE_CONT), and one stop
 * when nothing matches. For a single-threaded PROG that does not fork (the W1/W2 workloads).
 * x86_64 only. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                                           \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      fprintf(stderr, "floor: %s:%d: %s: %s\n", __FILE__, __LINE__, #cond, strerror(errno)); \
      exit(125);                                                                              \
    }                                                                                         \
  } while (0)

enum variant { NATIVE, SECCOMP, SECCOMP_EXIT, SECCOMP_WORK, SYSCALL_PAIR, VARIANTS };
static const char *const names[VARIANTS] = {"native", "seccomp", "seccomp-exit", "seccomp-work",
                                            "syscall-pair"};

static const char *from_prefix = "/tmp/redirect-bench/alias";
static const char *to_prefix = "/tmp/redirect-bench/real";
static const char bench_path[] = "/tmp/redirect-bench/alias/some/dir/file.txt";

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void install_filter(long trapped_nr) {
  struct sock_filter prog[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)trapped_nr, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog fprog = {sizeof prog / sizeof prog[0], prog};
  CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0);
}

/* At an entry stop: exactly the tracer syscalls a rewrite needs. Returns 1 and the original
 * argument in *saved when the path was rewritten, 0 when it does not start with from_prefix. */
static int rewrite_entry(pid_t pid, unsigned arg, uint64_t *saved) {
  struct __ptrace_syscall_info info;
  CHECK(ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0);
  uint64_t addr = info.seccomp.args[arg];
  char in[4096], out[8192];
  size_t room = 4096 - addr % 4096; /* stay in one page: one read, never a fault past it */
  struct iovec local = {in, room}, remote = {(void *)addr, room};
  ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
  if (n <= 0 || !memchr(in, '\0', (size_t)n)) return 0;
  size_t from_len = strlen(from_prefix);
  if (strncmp(in, from_prefix, from_len) != 0) return 0;
  int len = snprintf(out, sizeof out, "%s%s", to_prefix, in + from_len);
  uint64_t to = (info.stack_pointer - 128 - (uint64_t)len - 1) & ~(uint64_t)15;
  struct iovec mine = {out, (size_t)len + 1}, there = {(void *)to, (size_t)len + 1};
  CHECK(process_vm_writev(pid, &mine, 1, &there, 1, 0) == len + 1);
  static const size_t arg_offset[] = {offsetof(struct user_regs_struct, rdi),
                                      offsetof(struct user_regs_struct, rsi)};
  CHECK(ptrace(PTRACE_POKEUSER, pid, arg_offset[arg], to) == 0);
  *saved = addr;
  return 1;
}

/* The do-nothing (or do-the-minimum) tracer of one tracee; returns its wait status. */
static int trace(pid_t pid, enum variant v, unsigned arg) {
  int status;
  CHECK(waitpid(pid, &status, 0) == pid && WIFSTOPPED(status));
  CHECK(ptrace(PTRACE_SETOPTIONS, pid, 0,
               PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC |
                   PTRACE_O_EXITKILL) == 0);
  int request = v == SYSCALL_PAIR ? PTRACE_SYSCALL : PTRACE_CONT;
  CHECK(ptrace(request, pid, 0, 0) == 0);
  uint64_t saved = 0;
  for (;;) {
    CHECK(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) || WIFSIGNALED(status)) return status;
    int sig = 0;
    if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_SECCOMP << 8))) {
      request = v == SECCOMP ? PTRACE_CONT : PTRACE_SYSCALL;
      if (v == SECCOMP_WORK && !rewrite_entry(pid, arg, &saved)) request = PTRACE_CONT;
    } else if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
      if (v == SECCOMP_WORK) {
        static const size_t arg_offset[] = {offsetof(struct user_regs_struct, rdi),
                                            offsetof(struct user_regs_struct, rsi)};
        CHECK(ptrace(PTRACE_POKEUSER, pid, arg_offset[arg], saved) == 0);
      }
      request = v == SYSCALL_PAIR ? PTRACE_SYSCALL : PTRACE_CONT;
    } else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
      request = v == SYSCALL_PAIR ? PTRACE_SYSCALL : PTRACE_CONT;
    } else {
      sig = WSTOPSIG(status);
    }
    CHECK(ptrace(request, pid, 0, sig) == 0);
  }
}

/* Fork a tracee that stops for us, installs the filter (unless syscall-pair) and runs `body`. */
static pid_t start_tracee(enum variant v, long trapped_nr, void (*body)(void *), void *arg) {
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    if (v != NATIVE) {
      CHECK(ptrace(PTRACE_TRACEME, 0, 0, 0) == 0);
      raise(SIGSTOP);
      if (v != SYSCALL_PAIR) install_filter(trapped_nr);
    }
    body(arg);
    _exit(0);
  }
  return pid;
}

static void getppid_loop(void *arg) {
  const long *p = arg; /* {n, pipe write end} */
  int64_t t0 = now_ns();
  for (long i = 0; i < p[0]; ++i) syscall(SYS_getppid, 0, bench_path);
  int64_t ns = now_ns() - t0;
  CHECK(write((int)p[1], &ns, sizeof ns) == (ssize_t)sizeof ns);
}

static int64_t stops_run(enum variant v, long n) {
  int fds[2];
  CHECK(pipe(fds) == 0);
  long args[2] = {n, fds[1]};
  pid_t pid = start_tracee(v, SYS_getppid, getppid_loop, args);
  close(fds[1]);
  if (v != NATIVE) trace(pid, v, 1);
  int64_t ns = -1;
  CHECK(read(fds[0], &ns, sizeof ns) == (ssize_t)sizeof ns);
  close(fds[0]);
  if (v == NATIVE) waitpid(pid, NULL, 0);
  return ns;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int stops_main(long n, int repeats) {
  /* Interleaved rounds, as run.py does, so a slow phase of the machine hits all alike. */
  int64_t samples[VARIANTS][100];
  for (int r = 0; r < repeats; ++r)
    for (int v = 0; v < VARIANTS; ++v) samples[v][r] = stops_run((enum variant)v, n);
  double median[VARIANTS];
  for (int v = 0; v < VARIANTS; ++v) {
    qsort(samples[v], (size_t)repeats, sizeof samples[v][0], cmp);
    median[v] = (double)samples[v][repeats / 2] / (double)n;
  }
  printf("%s %.1f\n", names[NATIVE], median[NATIVE]);
  for (int v = 1; v < VARIANTS; ++v) printf("%s %.1f\n", names[v], median[v] - median[NATIVE]);
  return 0;
}

static void exec_body(void *arg) {
  char **argv = arg;
  execvp(argv[0], argv);
  fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

static int trace_main(enum variant v, char **argv) {
  pid_t pid = start_tracee(v, SYS_openat, exec_body, argv);
  int status = trace(pid, v, 1);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int usage(void) {
  fprintf(stderr,
          "usage: floor stops N [REPEATS<=100]\n"
          "       floor trace seccomp|seccomp-exit|rewrite [FROM TO] -- PROG ARGS...\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "stops") == 0) {
    long n = atol(argv[2]);
    int repeats = argc > 3 ? atoi(argv[3]) : 5;
    if (n <= 0 || repeats <= 0 || repeats > 100) return usage();
    return stops_main(n, repeats);
  }
  if (argc >= 5 && strcmp(argv[1], "trace") == 0) {
    enum variant v;
    int prog = 4;
    if (strcmp(argv[2], "seccomp") == 0) {
      v = SECCOMP;
    } else if (strcmp(argv[2], "seccomp-exit") == 0) {
      v = SECCOMP_EXIT;
    } else if (strcmp(argv[2], "rewrite") == 0 && argc >= 7) {
      v = SECCOMP_WORK;
      from_prefix = argv[3];
      to_prefix = argv[4];
      prog = 6;
    } else {
      return usage();
    }
    if (strcmp(argv[prog - 1], "--") != 0 || argv[prog] == NULL) return usage();
    return trace_main(v, argv + prog);
  }
  return usage();
}
