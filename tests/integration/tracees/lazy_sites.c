/* lazy_sites: syscall sites of the shape `mov $NR,%eax; syscall`, for the tests of lazy site
 * rewriting under --backend inproc (tests/integration/inproc-lazy-*.sh). Each mode checks every
 * result and prints one verdict line; the drivers compare the verdicts and the dispatch trap
 * counts the runtime writes at exit (REDIRECT_INPROC_COUNT_TRAPS=1).
 *   getppid N        N x libc's getppid() (glibc: mov $110,%eax; syscall)
 *   open PATH N      N x open(PATH) + read + close through libc; prints the first line read
 *   syscall-getppid N, syscall-open PATH N   the same through glibc's syscall() (the number in
 *                    a register), one call site for every number
 *   page rwx|rx N    N calls of a getppid site copied into a page of its own, RWX or R-X (made
 *                    RW, written, then R-X); prints the page's permissions from /proc/self/maps
 *                    after the calls and the site's first byte (b8: as built; e9: rewritten)
 *   wx-refused N     installs a seccomp filter that makes every mprotect asking for PROT_WRITE
 *                    fail with EPERM (a W^X policy), then execs `lazy_sites page rx N` under it
 *                    (the runtime stops rewriting in a process once it installs a filter of
 *                    its own; the exec'd one starts with the filter in place)
 *   threads T K      T threads and the main thread each make K getppid() at once (a barrier
 *                    keeps them all alive meanwhile); then the main thread alone K; then T new
 *                    threads K each; every result checked
 *   fork-exec N      N getppid(), fork: the child prints getppid's first byte (glibc's starts
 *                    with its mov: b8 as built, e9 rewritten), makes N getppid() and execs
 *                    `lazy_sites getppid N`; the parent waits for it
 *   restart          a read(2) from its own `mov $0,%eax; syscall` site, made once with data
 *                    ready (so the site is rewritten), then blocking on an empty pipe while
 *                    SIGALRM (SA_RESTART) arrives every 20 ms, until a child writes after 300
 *                    ms; then once more without SA_RESTART, which must end with EINTR */
#include "util.h"

#if defined(__x86_64__)

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>

/* long site_read(int fd, void* buf, size_t n): read(2) from a site of the rewritable shape. */
long site_read(long fd, void* buf, long n);
extern const unsigned char site_read_mov[];
__asm__(".text\n"
        ".globl site_read\n.globl site_read_mov\n"
        "site_read:\n"
        "site_read_mov:\n"
        "  mov $0, %eax\n"
        "  syscall\n"
        "  ret\n");

static const unsigned char getppid_code[] = {0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3};

static void loop_getppid(long n) {
  const pid_t parent = getppid();
  for (long i = 0; i < n; ++i) test_assert(getppid() == parent);
}

/* The permissions column of the maps line that holds `addr`. */
static void page_perms(const void* addr, char out[5]) {
  FILE* f = fopen("/proc/self/maps", "r");
  test_assert(f != NULL);
  char line[512];
  strcpy(out, "none");
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char perms[5];
    if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3) continue;
    if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) memcpy(out, perms, 5);
  }
  fclose(f);
}

static void deny_write_mprotect(void) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
      BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_WRITE, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof f / sizeof f[0], f};
  test_assert(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
  test_assert(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0);
}

static void page_mode(const char* kind, long n) {
  test_assert(!strcmp(kind, "rwx") || !strcmp(kind, "rx"));
  const int rwx = !strcmp(kind, "rwx");
  unsigned char* page = mmap(NULL, 4096, rwx ? PROT_READ | PROT_WRITE | PROT_EXEC : PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  test_assert(page != MAP_FAILED);
  memcpy(page + 64, getppid_code, sizeof getppid_code);
  if (!rwx) test_assert(mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0);
  long (*site)(void) = (long (*)(void))(page + 64);
  const long parent = getppid();
  for (long i = 0; i < n; ++i) test_assert(site() == parent);
  char perms[5];
  page_perms(page, perms);
  printf("%s page: %s %02x\n", kind, perms, page[64]);
}

static void open_mode(const char* path, long n, int raw) {
  char first[256] = "";
  for (long i = 0; i < n; ++i) {
    long fd = raw ? syscall(SYS_openat, AT_FDCWD, path, O_RDONLY) : open(path, O_RDONLY);
    test_assert(fd >= 0);
    char buf[256];
    long k = raw ? syscall(SYS_read, fd, buf, sizeof buf - 1) : read(fd, buf, sizeof buf - 1);
    test_assert(k >= 0);
    buf[k] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    if (i == 0) strcpy(first, buf);
    test_assert(!strcmp(first, buf));
    test_assert((raw ? syscall(SYS_close, fd) : close(fd)) == 0);
  }
  printf("%ld opens: %s\n", n, first);
}

static void loop_syscall_getppid(long n) {
  const long parent = getppid();
  for (long i = 0; i < n; ++i) test_assert(syscall(SYS_getppid) == parent);
}

static pthread_barrier_t barrier;
static long per_thread;

static void* thread_body(void* arg) {
  if (arg) pthread_barrier_wait(&barrier);
  loop_getppid(per_thread);
  test_assert(syscall(SYS_close, -1) == -1 && errno == EBADF);
  if (arg) pthread_barrier_wait(&barrier);
  return NULL;
}

static void start_join(int t, int with_barrier) {
  pthread_t th[64];
  test_assert(t <= 64);
  if (with_barrier) test_assert(pthread_barrier_init(&barrier, NULL, t + 1) == 0);
  for (int i = 0; i < t; ++i)
    test_assert(pthread_create(&th[i], NULL, thread_body, with_barrier ? (void*)1 : NULL) == 0);
  if (with_barrier) thread_body((void*)1);
  for (int i = 0; i < t; ++i) test_assert(pthread_join(th[i], NULL) == 0);
  if (with_barrier) pthread_barrier_destroy(&barrier);
}

static void threads_mode(int t, long k) {
  per_thread = k;
  start_join(t, 1);  /* T + 1 threads at once, from the first call */
  loop_getppid(k);   /* alone again */
  start_join(t, 0);  /* new threads, on sites rewritten meanwhile */
  printf("threads ok\n");
}

static void fork_exec_mode(const char* self, long n) {
  loop_getppid(n);
  pid_t child = fork();
  test_assert(child >= 0);
  if (child == 0) {
    printf("child: getppid starts with %02x\n", *(const volatile unsigned char*)getppid);
    loop_getppid(n);
    char count[32];
    snprintf(count, sizeof count, "%ld", n);
    execl(self, self, "getppid", count, (char*)NULL);
    _exit(126);
  }
  int status;
  test_assert(waitpid(child, &status, 0) == child);
  test_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  printf("fork-exec ok\n");
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static void arm_alarms(int restart) {
  struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0};
  test_assert(sigaction(SIGALRM, &sa, NULL) == 0);
  struct itimerval it = {{0, 20000}, {0, 20000}};
  test_assert(setitimer(ITIMER_REAL, &it, NULL) == 0);
}

static void restart_mode(void) {
  int p[2];
  test_assert(pipe(p) == 0);
  char buf[16] = "";
  test_assert(write(p[1], "x", 1) == 1);
  test_assert(site_read(p[0], buf, 1) == 1 && buf[0] == 'x');  /* the site is rewritten now */
  const unsigned char first = site_read_mov[0];
  pid_t writer = fork();
  test_assert(writer >= 0);
  if (writer == 0) {
    struct timespec ts = {0, 300 * 1000000};
    nanosleep(&ts, NULL);
    _exit(write(p[1], "hello", 5) == 5 ? 0 : 1);
  }
  arm_alarms(1);
  long r = site_read(p[0], buf, sizeof buf - 1);
  test_assert(r == 5 && !memcmp(buf, "hello", 5));
  test_assert(alarms >= 3);
  int status;
  test_assert(waitpid(writer, &status, 0) == writer && WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const int restarted = alarms;
  arm_alarms(0);
  r = site_read(p[0], buf, sizeof buf - 1);
  test_assert(r == -EINTR);
  struct itimerval off = {{0, 0}, {0, 0}};
  test_assert(setitimer(ITIMER_REAL, &off, NULL) == 0);
  printf("restart ok: %s, %s, site %02x\n", restarted >= 3 ? "restarted" : "not restarted",
         "EINTR", first);
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  setvbuf(stdout, NULL, _IONBF, 0);
  if (!strcmp(argv[1], "getppid") && argc == 3) {
    loop_getppid(atol(argv[2]));
    printf("%s calls\n", argv[2]);
  } else if (!strcmp(argv[1], "open") && argc == 4) {
    open_mode(argv[2], atol(argv[3]), 0);
  } else if (!strcmp(argv[1], "syscall-getppid") && argc == 3) {
    loop_syscall_getppid(atol(argv[2]));
    printf("%s calls\n", argv[2]);
  } else if (!strcmp(argv[1], "syscall-open") && argc == 4) {
    open_mode(argv[2], atol(argv[3]), 1);
  } else if (!strcmp(argv[1], "page") && argc == 4) {
    page_mode(argv[2], atol(argv[3]));
  } else if (!strcmp(argv[1], "wx-refused") && argc == 3) {
    deny_write_mprotect();
    execl(argv[0], argv[0], "page", "rx", argv[2], (char*)NULL);
    test_assert(!"exec");
  } else if (!strcmp(argv[1], "threads") && argc == 4) {
    threads_mode(atoi(argv[2]), atol(argv[3]));
  } else if (!strcmp(argv[1], "fork-exec") && argc == 3) {
    fork_exec_mode(argv[0], atol(argv[2]));
  } else if (!strcmp(argv[1], "restart") && argc == 2) {
    restart_mode();
  } else {
    test_assert(!"unknown mode");
  }
  return 0;
}
#else
int main(void) {
  printf("not x86_64\n");
  return 77;
}
#endif
