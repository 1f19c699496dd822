/* startup_report: prints what a program sees of its own start, for comparing a kernel exec
 * with the in-process launcher (redirect-inproc-exec), which maps a static program itself:
 *   startup_report report N [ARGS...]   argv, environ, the auxv entries that describe the
 *                                        executable, comm, rseq, the main thread's stack as
 *                                        glibc finds it, 4 threads with their own TLS; exit N
 *   startup_report exec PATH ARGS...    execv(PATH, ARGS) (ARGS[0] is the new argv[0])
 *   startup_report getppid K            K getppid calls and nothing else of note; exit 0
 *   startup_report self                 /proc/self/cmdline (NULs shown as |), where
 *                                        /proc/self/exe points, /proc/self/environ's count
 * Nothing printed depends on where the program was loaded, only on whether each fact holds,
 * so a native run and a launched run must print the same lines. Built static and static-pie. */
#define _GNU_SOURCE
#include "util.h"

#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/rseq.h>

extern char** environ;
extern const ElfW(Ehdr) __ehdr_start;
extern void _start(void);

static __thread int tls_value = 1;

static void* thread_main(void* arg) {
  tls_value += (int)(long)arg; /* each thread starts from the initial image of .tdata */
  return (void*)(long)tls_value;
}

static const char* yes(int cond) { return cond ? "yes" : "NO"; }

static void report_auxv(void) {
  const ElfW(Phdr)* own_phdr = (const ElfW(Phdr)*)((const char*)&__ehdr_start + __ehdr_start.e_phoff);
  printf("AT_EXECFN=%s\n", (const char*)getauxval(AT_EXECFN));
  printf("AT_RANDOM set: %s\n", yes(getauxval(AT_RANDOM) != 0));
  printf("AT_BASE=%#lx\n", getauxval(AT_BASE));
  printf("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (unsigned long)&_start));
  printf("AT_PHDR is our program headers: %s\n", yes(getauxval(AT_PHDR) == (unsigned long)own_phdr));
  printf("AT_PHNUM=%lu (e_phnum %u)\n", getauxval(AT_PHNUM), __ehdr_start.e_phnum);
  printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
  printf("AT_PAGESZ=%lu AT_SECURE=%lu\n", getauxval(AT_PAGESZ), getauxval(AT_SECURE));
}

/* glibc finds the main thread's stack in /proc/self/maps (pthread_getattr_np); the kernel
 * marks it [stack]. */
static void report_stack(void) {
  int local = 0;
  pthread_attr_t attr;
  void* addr = NULL;
  size_t size = 0;
  test_assert(pthread_getattr_np(pthread_self(), &attr) == 0);
  test_assert(pthread_attr_getstack(&attr, &addr, &size) == 0);
  const char* p = (const char*)&local;
  printf("main stack contains a local: %s\n", yes(p >= (char*)addr && p < (char*)addr + size));
  FILE* maps = fopen("/proc/self/maps", "r");
  test_assert(maps != NULL);
  char line[512];
  int in_stack = 0;
  while (fgets(line, sizeof line, maps)) {
    unsigned long lo = 0, hi = 0;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && (unsigned long)p >= lo && (unsigned long)p < hi)
      in_stack = strstr(line, "[stack]") != NULL;
  }
  fclose(maps);
  printf("the local is in [stack]: %s\n", yes(in_stack));
}

static void report_threads(void) {
  pthread_t t[4];
  long sum = 0;
  for (long i = 0; i < 4; i++) test_assert(pthread_create(&t[i], NULL, thread_main, (void*)(i + 10)) == 0);
  for (int i = 0; i < 4; i++) {
    void* r = NULL;
    test_assert(pthread_join(t[i], &r) == 0);
    sum += (long)r;
  }
  printf("threads: 4 joined, TLS sum %ld (main's own %d)\n", sum, tls_value);
}

/* The kernel's view of the process, which a launcher can change only with privileges. */
static int report_self(void) {
  char buf[4096];
  int fd = open("/proc/self/cmdline", O_RDONLY);
  test_assert(fd >= 0);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  test_assert(n >= 0);
  close(fd);
  for (ssize_t i = 0; i < n; i++) buf[i] = buf[i] ? buf[i] : '|';
  buf[n] = 0;
  printf("cmdline=%s\n", buf);
  n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  test_assert(n > 0);
  buf[n] = 0;
  printf("exe=%s\n", buf);
  return 0;
}

int main(int argc, char** argv) {
  test_assert(argc >= 2);
  if (!strcmp(argv[1], "self")) return report_self();
  test_assert(argc >= 3);
  if (!strcmp(argv[1], "exec")) {
    execv(argv[2], argv + 3);
    test_assert(!"execv failed");
  }
  if (!strcmp(argv[1], "getppid")) {
    for (int i = atoi(argv[2]); i > 0; i--) syscall(SYS_getppid);
    return 0;
  }
  test_assert(!strcmp(argv[1], "report"));
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=<%s>\n", i, argv[i]);
  for (char** e = environ; *e; e++) printf("env <%s>\n", *e);
  report_auxv();
  char comm[64] = "";
  FILE* f = fopen("/proc/self/comm", "r");
  test_assert(f && fgets(comm, sizeof comm, f));
  fclose(f);
  printf("comm=%s", comm);
  printf("rseq registered: %s\n", yes(__rseq_size > 0));
  report_stack();
  report_threads();
  char* big = malloc(1 << 20);
  test_assert(big != NULL);
  memset(big, 1, 1 << 20);
  free(big);
  fflush(stdout);
  return atoi(argv[2]);
}
