/* lease_truncate: an interrupted, restarted syscall whose path is argument 0 (on aarch64 the
 * register the kernel overwrites with the result). It takes a read lease on LPATH, then calls
 * truncate(TPATH, 3) with TPATH naming the same file: breaking the lease sends SIGIO to the
 * lease holder, this process, so the truncate is interrupted at once with ERESTARTSYS (linux
 * fs/locks.c __break_lease: lease_break_callback signals, the wait is interruptible). The
 * SIGIO handler releases the lease, dirties 64 KiB of its stack and truncates HPATH to 2 bytes
 * (a rewritten call nested in the interrupted one, reusing whatever scratch memory it used).
 * With SA_RESTART ("restart") the kernel runs the truncate again itself; without
 * ("norestart") it fails with EINTR and this program retries. Either way the truncate that
 * succeeds must be of TPATH's file: LPATH's size is printed from the lease's own fd.
 * The handler also says what the interrupted call's first argument register holds in its
 * frame ("frame arg0"): natively the program's own pointer for a restart (on aarch64 the
 * kernel reloads x0 from orig_x0; for EINTR x0 holds -EINTR there), never redirect's.
 * Usage: lease_truncate LPATH TPATH restart|norestart HPATH. Exit 3 (and "lease: ERRNO") when
 * the kernel refuses the lease (fs.leases-enable=0, a file system without leases). */
#include "util.h"

#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <ucontext.h>

static volatile sig_atomic_t handled, handler_truncates_ok;
static const char* handler_path;
static const char* truncate_path;
static const char* frame_arg0 = "not seen";
static int lease_fd = -1;

// What the frame's first argument register holds: the program's own pointer, -EINTR or other.
static const char* classify_arg0(const ucontext_t* uc) {
#if defined(__x86_64__)
  const unsigned long long arg0 = (unsigned long long)uc->uc_mcontext.gregs[REG_RDI];
#elif defined(__aarch64__)
  const unsigned long long arg0 = uc->uc_mcontext.regs[0];
#else
  const unsigned long long arg0 = (unsigned long long)(uintptr_t)truncate_path;
  (void)uc;
#endif
  if (arg0 == (unsigned long long)(uintptr_t)truncate_path) return "own pointer";
  if ((long long)arg0 == -EINTR) return "-EINTR";
  return "other";
}

static void on_sigio(int sig, siginfo_t* info, void* context) {
  (void)sig;
  (void)info;
  int saved = errno;
  frame_arg0 = classify_arg0(context);
  char big[64 * 1024];
  memset(big, 'X', sizeof big);
  __asm__ volatile("" : : "r"(big) : "memory");
  if (fcntl(lease_fd, F_SETLEASE, F_UNLCK) == 0 && syscall(SYS_truncate, handler_path, 2) == 0)
    handler_truncates_ok++;
  handled++;
  errno = saved;
}

int main(int argc, char** argv) {
  test_assert(argc == 5);
  handler_path = argv[4];
  truncate_path = argv[2];
  int restart = !strcmp(argv[3], "restart");
  test_assert(restart || !strcmp(argv[3], "norestart"));

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigio;
  sa.sa_flags = SA_SIGINFO | (restart ? SA_RESTART : 0);
  test_assert(sigaction(SIGIO, &sa, NULL) == 0);

  long fd = raw_openat(argv[1], O_RDONLY, 0);
  test_assert(fd >= 0);
  lease_fd = (int)fd;
  if (fcntl(lease_fd, F_SETLEASE, F_RDLCK) != 0) {
    printf("lease: %s\n", errno_name(errno));
    return 3;
  }

  int eintr = 0;
  long r;
  while ((r = syscall(SYS_truncate, argv[2], 3)) != 0 && errno == EINTR) eintr++;
  struct stat st;
  test_assert(fstat(lease_fd, &st) == 0);
  printf("handler ran: %s\n", handled == 1 ? "once" : handled ? "more than once" : "no");
  printf("EINTR seen: %d\n", eintr);
  printf("truncate: %s\n", r == 0 ? "ok" : errno_name(errno));
  printf("size: %lld\n", (long long)st.st_size);
  printf("frame arg0: %s\n", frame_arg0);
  printf("handler truncates: %s\n", handler_truncates_ok == (sig_atomic_t)handled ? "ok" : "failed");
  return 0;
}
