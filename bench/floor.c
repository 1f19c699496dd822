/* The floor of this machine: what ptrace stops cost when the tracer does nothing, or only the
 * minimum a path rewriter must do, so bench/run.py can say how far `redirect` is above it.
 * Linked statically, as redirect is, so that its start-up is the least any tracer can have.
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
 * `floor trace seccomp [--nrs NR,NR,...] -- PROG ARGS...`: runs PROG, every thread and child
 * it makes included, with exactly the given x86_64 syscall numbers trapped (default: openat)
 * and a tracer that does nothing at a stop but resume it: one stop per trapped syscall, plus
 * one per fork/vfork/clone and per new task. run.py passes the set redirect traps for its rule
 * file, so this is any tracer's cost on a workload, below which redirect cannot go.
 *
 * `floor trace seccomp-exit|rewrite [FROM TO] -- PROG ARGS...`: PROG alone (one thread, no
 * fork: the W1/W2 workloads) with openat trapped. seccomp-exit: two stops per openat. rewrite:
 * a minimal rewriter that replaces the prefix FROM of openat's path by TO with exactly five
 * tracer syscalls at entry (PTRACE_GET_SYSCALL_INFO, process_vm_readv, process_vm_writev,
 * PTRACE_POKEUSER, PTRACE_SYSCALL) and two at exit (PTRACE_POKEUSER, PTRACE_CONT), and one stop
 * when nothing matches.
 * x86_64 only. Exit status: PROG's, or 128+N when a signal killed it; 125 when we fail. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
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

/* --- the seccomp filter ------------------------------------------------------------------- */

/* Numbers are below this (x86_64 has ~470); the x32 ones, nr | 0x40000000, are not trapped. */
#define MAX_NR 4096
/* A classic BPF program; BPF_MAXINSNS is the kernel's limit. With at most MAX_NR numbers the
 * tree below needs about 2 instructions per number, well within it. */
struct prog {
  struct sock_filter insns[BPF_MAXINSNS];
  unsigned short len;
};
/* A leaf of the tree tests this many numbers in line: a few JEQs cost less than more levels. */
#define LEAF 4

static void emit(struct prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) {
  if (p->len >= BPF_MAXINSNS) {
    fprintf(stderr, "floor: seccomp filter longer than %d instructions\n", BPF_MAXINSNS);
    exit(125);
  }
  p->insns[p->len++] = (struct sock_filter){code, jt, jf, k};
}

/* Emits a search of sorted, distinct nrs[0..n) for the number in the accumulator: a binary tree
 * of JGEs down to leaves of at most LEAF JEQs, so any syscall is decided in about
 * log2(n / LEAF) + LEAF comparisons. A leaf ends in its own two RETs, and an inner node reaches
 * its right half through a JA (32-bit offset): JEQ/JGE offsets are 8 bits, too short for a
 * subtree of many numbers. */
static void emit_tree(struct prog *p, const uint32_t *nrs, size_t n) {
  if (n <= LEAF) {
    for (size_t i = 0; i < n; ++i)
      emit(p, BPF_JMP | BPF_JEQ | BPF_K, nrs[i], (uint8_t)(n - i), 0);
    emit(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    if (n > 0) emit(p, BPF_RET | BPF_K, SECCOMP_RET_TRACE, 0, 0);
    return;
  }
  size_t mid = n / 2;
  emit(p, BPF_JMP | BPF_JGE | BPF_K, nrs[mid], 0, 1);
  size_t ja = p->len;
  emit(p, BPF_JMP | BPF_JA, 0, 0, 0); /* offset set below */
  emit_tree(p, nrs, mid);
  p->insns[ja].k = (uint32_t)(p->len - ja - 1);
  emit_tree(p, nrs + mid, n - mid);
}

/* The program, for nrs = {2, 4, 6, 257, 262} (LEAF 4):
 *     ld  [arch]
 *     jeq #AUDIT_ARCH_X86_64, 1, 0
 *     ret #ALLOW                          other ABIs (i386) are not trapped: x86_64 workloads
 *     ld  [nr]
 *     jge #6, 0, 1                        nrs[n/2]
 *     ja  +4                              to the right half
 *     jeq #2, 2, 0                        left half {2, 4}
 *     jeq #4, 1, 0
 *     ret #ALLOW
 *     ret #TRACE
 *     jeq #6, 3, 0                        right half {6, 257, 262}
 *     ...
 * Kept in `p` so a caller can build it before fork, as redirect does. */
static void build_filter(struct prog *p, const uint32_t *nrs, size_t n) {
  p->len = 0;
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  emit(p, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
  emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
  emit_tree(p, nrs, n);
}

static void install_filter(const struct prog *p) {
  struct sock_fprog fprog = {p->len, (struct sock_filter *)p->insns};
  CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  CHECK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Parses "2,4,6,257" into sorted, distinct numbers; returns their count, or -1 if malformed. */
static int parse_nrs(const char *list, uint32_t *nrs) {
  int n = 0;
  for (const char *s = list; *s;) {
    char *end;
    errno = 0;
    unsigned long nr = strtoul(s, &end, 10);
    if (end == s || errno || nr >= MAX_NR || (*end && *end != ',') || n == MAX_NR) return -1;
    nrs[n++] = (uint32_t)nr;
    s = *end ? end + 1 : end;
  }
  qsort(nrs, (size_t)n, sizeof nrs[0], cmp_u32);
  int distinct = 0;
  for (int i = 0; i < n; ++i)
    if (distinct == 0 || nrs[distinct - 1] != nrs[i]) nrs[distinct++] = nrs[i];
  return distinct;
}

/* --- one tracee: the stops variants and the minimal rewriter --------------------------------- */

static const size_t arg_offset[] = {offsetof(struct user_regs_struct, rdi),
                                    offsetof(struct user_regs_struct, rsi)};

/* At an entry stop: exactly the tracer syscalls a rewrite needs. Returns 1 and the original
 * argument in *saved when the path was rewritten, 0 when it does not start with from_prefix. */
static int rewrite_entry(pid_t pid, unsigned arg, uint64_t *saved) {
  struct __ptrace_syscall_info info;
  CHECK(ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0);
  uint64_t addr = info.seccomp.args[arg];
  char in[8192], out[8192];
  /* Read to the end of the path's page: one read that cannot fault past it. A path that
   * crosses into the next page (the tracee's stack is randomised, so now and then every path
   * of openclose does) needs a second read, of that page. */
  size_t room = 4096 - addr % 4096;
  struct iovec local = {in, room}, remote = {(void *)addr, room};
  ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
  if (n == (ssize_t)room && !memchr(in, '\0', room)) {
    struct iovec local2 = {in + room, 4096}, remote2 = {(void *)(addr + room), 4096};
    ssize_t more = process_vm_readv(pid, &local2, 1, &remote2, 1, 0);
    if (more > 0) n += more;
  }
  if (n <= 0 || !memchr(in, '\0', (size_t)n)) return 0;
  size_t from_len = strlen(from_prefix);
  if (strncmp(in, from_prefix, from_len) != 0) return 0;
  int len = snprintf(out, sizeof out, "%s%s", to_prefix, in + from_len);
  uint64_t to = (info.stack_pointer - 128 - (uint64_t)len - 1) & ~(uint64_t)15;
  struct iovec mine = {out, (size_t)len + 1}, there = {(void *)to, (size_t)len + 1};
  CHECK(process_vm_writev(pid, &mine, 1, &there, 1, 0) == len + 1);
  CHECK(ptrace(PTRACE_POKEUSER, pid, arg_offset[arg], to) == 0);
  *saved = addr;
  return 1;
}

/* The do-nothing (or do-the-minimum) tracer of one tracee that never forks; returns its wait
 * status. */
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
      if (v == SECCOMP_WORK) CHECK(ptrace(PTRACE_POKEUSER, pid, arg_offset[arg], saved) == 0);
      request = v == SYSCALL_PAIR ? PTRACE_SYSCALL : PTRACE_CONT;
    } else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
      request = v == SYSCALL_PAIR ? PTRACE_SYSCALL : PTRACE_CONT;
    } else {
      sig = WSTOPSIG(status);
    }
    CHECK(ptrace(request, pid, 0, sig) == 0);
  }
}

/* Fork a tracee that stops for us, installs `filter` (unless NULL) and runs `body`. */
static pid_t start_tracee(enum variant v, const struct prog *filter, void (*body)(void *),
                          void *arg) {
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    if (v != NATIVE) {
      CHECK(ptrace(PTRACE_TRACEME, 0, 0, 0) == 0);
      raise(SIGSTOP);
      if (filter) install_filter(filter);
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

static struct prog filter; /* 32 KB: not on the stack */

static int64_t stops_run(enum variant v, long n) {
  int fds[2];
  CHECK(pipe(fds) == 0);
  long args[2] = {n, fds[1]};
  pid_t pid = start_tracee(v, v == SYSCALL_PAIR ? NULL : &filter, getppid_loop, args);
  close(fds[1]);
  if (v != NATIVE) trace(pid, v, 1);
  int64_t ns = -1;
  CHECK(read(fds[0], &ns, sizeof ns) == (ssize_t)sizeof ns);
  close(fds[0]);
  if (v == NATIVE) waitpid(pid, NULL, 0);
  return ns;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int stops_main(long n, int repeats) {
  static const uint32_t getppid_nr = SYS_getppid;
  build_filter(&filter, &getppid_nr, 1);
  /* Interleaved rounds, as run.py does, so a slow phase of the machine hits all alike. */
  int64_t samples[VARIANTS][100];
  for (int r = 0; r < repeats; ++r)
    for (int v = 0; v < VARIANTS; ++v) samples[v][r] = stops_run((enum variant)v, n);
  double median[VARIANTS];
  for (int v = 0; v < VARIANTS; ++v) {
    qsort(samples[v], (size_t)repeats, sizeof samples[v][0], cmp_i64);
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

static int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int trace_one_main(enum variant v, char **argv) {
  static const uint32_t openat_nr = SYS_openat;
  build_filter(&filter, &openat_nr, 1);
  pid_t pid = start_tracee(v, &filter, exec_body, argv);
  return exit_code(trace(pid, v, 1));
}

/* --- every task of a program: `floor trace seccomp` ---------------------------------------- */

/* The child of spawn_seized. It runs on child_stack in our memory (CLONE_VM), so it must not
 * allocate or exit() (our stdio and atexit state are its own), and errno is shared with us:
 * we read errno only after a call of ours failed, never while it runs. glibc's execvp searches
 * PATH with buffers on the stack, no malloc. */
static int go_fd[2];
static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int seized_child(void *arg) {
  char **argv = arg;
  close(go_fd[1]); /* else a tracer that failed before writing would leave us waiting */
  char byte;
  if (read(go_fd[0], &byte, 1) != 1) _exit(125); /* EOF: the tracer failed and said why */
  close(go_fd[0]);
  struct sock_fprog fprog = {filter.len, filter.insns};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0)
    _exit(125);
  execvp(argv[0], argv);
  static const char msg[] = "floor: cannot execute the program\n";
  ssize_t ignored = write(2, msg, sizeof msg - 1);
  (void)ignored;
  _exit(127);
}

/* Starts PROG's process and PTRACE_SEIZEs it while it waits on a pipe, as redirect does: nothing
 * of PROG runs untraced, and no stop is spent on starting it (no SIGSTOP, no exec event), so
 * its first stop is its first trapped syscall. Seized, its children are seized too: they start
 * with a PTRACE_EVENT_STOP and group-stops can be told from signals. clone(CLONE_VM) rather
 * than fork(), as redirect does: no copy of our page tables that the exec would throw away. */
static pid_t spawn_seized(char **argv) {
  int *go = go_fd;
  CHECK(pipe(go) == 0);
  pid_t pid = clone(seized_child, child_stack + sizeof child_stack, CLONE_VM | SIGCHLD, argv);
  CHECK(pid >= 0);
  close(go[0]); /* no CLONE_FILES: the child keeps its own copies of both ends */
  CHECK(ptrace(PTRACE_SEIZE, pid, 0,
               PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                   PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL) == 0);
  CHECK(write(go[1], "g", 1) == 1);
  close(go[1]);
  return pid;
}

static int is_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Resumes a stopped task with no work: one ptrace call. A seccomp stop, a fork/vfork/clone
 * event or a new task's first stop (PTRACE_EVENT_STOP with SIGTRAP) resume as they are; a
 * group-stop (PTRACE_EVENT_STOP with a stop signal) is kept stopped by PTRACE_LISTEN until
 * SIGCONT, as without a tracer; any other stop is a signal on its way: pass it on. ESRCH is
 * not an error: a SIGKILL or another thread's exit_group took the task since its stop. */
static void resume_task(pid_t tid, int status) {
  int event = status >> 16, sig = WSTOPSIG(status);
  enum __ptrace_request request = PTRACE_CONT;
  long data = 0;
  if (event == PTRACE_EVENT_STOP && is_stop_signal(sig))
    request = PTRACE_LISTEN;
  else if (event == 0)
    data = sig;
  if (ptrace(request, tid, 0, data) != 0) CHECK(errno == ESRCH);
}

/* Waits for every task of PROG's tree until none is left; returns the wait status of PROG's
 * first process, which an exec from another of its threads leaves at the same pid. */
static int trace_all(pid_t first) {
  int first_status = -1;
  for (;;) {
    int status;
    pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      CHECK(errno == ECHILD);
      CHECK(first_status != -1);
      return first_status;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (tid == first) first_status = status;
    } else {
      resume_task(tid, status);
    }
  }
}

/* nr_list NULL: openat alone. */
static int trace_all_main(const char *nr_list, char **argv) {
  static uint32_t nrs[MAX_NR] = {SYS_openat};
  int n = nr_list ? parse_nrs(nr_list, nrs) : 1;
  if (n < 0) {
    fprintf(stderr, "floor: --nrs: expected numbers below %d separated by commas: %s\n", MAX_NR,
            nr_list);
    return 2;
  }
  build_filter(&filter, nrs, (size_t)n);
  return exit_code(trace_all(spawn_seized(argv)));
}

/* --- command line --------------------------------------------------------------------------- */

static int usage(void) {
  fprintf(stderr,
          "usage: floor stops N [REPEATS<=100]\n"
          "       floor trace seccomp [--nrs NR,NR,...] -- PROG ARGS...\n"
          "       floor trace seccomp-exit|rewrite [FROM TO] -- PROG ARGS...\n");
  return 2;
}

static int trace_cmd(int argc, char **argv) {
  /* argv[0] is the mode; PROG follows the "--" at argv[prog - 1]. */
  const char *nrs = NULL;
  int prog = 2;
  enum variant v;
  if (strcmp(argv[0], "seccomp") == 0) {
    v = SECCOMP;
    if (argc >= 3 && strcmp(argv[1], "--nrs") == 0) {
      nrs = argv[2];
      prog = 4;
    }
  } else if (strcmp(argv[0], "seccomp-exit") == 0) {
    v = SECCOMP_EXIT;
  } else if (strcmp(argv[0], "rewrite") == 0 && argc >= 3) {
    v = SECCOMP_WORK;
    from_prefix = argv[1];
    to_prefix = argv[2];
    prog = 4;
  } else {
    return usage();
  }
  if (prog >= argc || strcmp(argv[prog - 1], "--") != 0) return usage();
  if (v == SECCOMP) return trace_all_main(nrs, argv + prog);
  return trace_one_main(v, argv + prog);
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "stops") == 0) {
    long n = atol(argv[2]);
    int repeats = argc > 3 ? atoi(argv[3]) : 5;
    if (n <= 0 || repeats <= 0 || repeats > 100) return usage();
    return stops_main(n, repeats);
  }
  if (argc >= 3 && strcmp(argv[1], "trace") == 0) return trace_cmd(argc - 2, argv + 2);
  return usage();
}
