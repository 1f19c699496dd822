/* sud_lazy_rewrite: can rewriting syscall sites lazily remove Syscall User Dispatch's cost on
 * the calls no rule names, without mapping address 0 (zpoline's `call *%rax` needs a
 * trampoline at 0, which vm.mmap_min_addr forbids in a strict snap)? A prototype, not part of
 * redirect: it measures getppid() through libc, N times, in three modes:
 *   native  no dispatch
 *   trap    dispatch armed; every call traps (SIGSYS), the handler makes it again from the
 *           allowed region, as the in-process runtime does today
 *   lazy    the same, but the first trap at a site of the shape `mov $NR,%eax; syscall`
 *           (how glibc makes most fixed-number calls) rewrites the 5-byte mov into
 *           `jmp rel32` to a stub near the site, which jumps to a per-site trampoline in the
 *           allowed region: `mov $NR,%eax; syscall; jmp back`. Later calls from that site
 *           never trap. The `syscall` at the site is left in place, so a jump straight to it
 *           still traps and is still handled.
 * Build: gcc -O2 -mno-red-zone -o sud_lazy_rewrite sud_lazy_rewrite.c
 * Run:   sud_lazy_rewrite MODE N   -> "MODE N ns_per_call traps"
 * x86_64, Linux >= 5.11. Single-threaded on purpose: the write of the 5 bytes is not safe
 * against another thread executing them (see docs/inproc-static.md, "Lazy rewriting"). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static unsigned char* allowed;   /* one page: gadget, restorer, trampolines (the allowed region) */
static size_t allowed_used = 64;
static unsigned char* stubs;     /* one page within +-2 GiB of the patched sites */
static size_t stubs_used;
static volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;
static int lazy;
static unsigned long traps;

/* A system call made from the allowed page's `syscall; ret`. */
static long gadget(long nr, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("call *%[g]"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9), [g] "r"(allowed)
                   : "rcx", "r11", "memory");
  return ret;
}

static void put_abs_jump(unsigned char* at, uint64_t target) { /* jmp *0(%rip); .quad target */
  memcpy(at, "\xff\x25\x00\x00\x00\x00", 6);
  memcpy(at + 6, &target, 8);
}

/* site = the `syscall` instruction, preceded by `b8 imm32`. */
static void rewrite_site(unsigned char* site, uint32_t nr) {
  if (!stubs) {
    long p = gadget(SYS_mmap, ((long)site & ~0xfffL) - (1L << 28), 4096,
                    PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p < 0) return;
    stubs = (unsigned char*)p;
  }
  unsigned char* stub = stubs + stubs_used;
  unsigned char* tramp = allowed + allowed_used;
  int64_t rel = (int64_t)(stub - (site - 5 + 5));
  if (rel != (int32_t)rel || stubs_used + 16 > 4096 || allowed_used + 32 > 4096) return;
  tramp[0] = 0xb8;
  memcpy(tramp + 1, &nr, 4);
  memcpy(tramp + 5, "\x0f\x05", 2);
  put_abs_jump(tramp + 7, (uint64_t)(site + 2));
  put_abs_jump(stub, (uint64_t)tramp);
  allowed_used += 32;
  stubs_used += 16;
  unsigned char* page = (unsigned char*)((uintptr_t)(site - 5) & ~0xfffUL);
  gadget(SYS_mprotect, (long)page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0);
  unsigned char jmp[5] = {0xe9};
  int32_t rel32 = (int32_t)rel;
  memcpy(jmp + 1, &rel32, 4);
  memcpy(site - 5, jmp, 5);
  gadget(SYS_mprotect, (long)page, 8192, PROT_READ | PROT_EXEC, 0, 0, 0);
}

static void on_sigsys(int sig, siginfo_t* info, void* context) {
  (void)sig;
  greg_t* g = ((ucontext_t*)context)->uc_mcontext.gregs;
  traps++;
  unsigned char* site = (unsigned char*)g[REG_RIP] - 2;
  uint32_t imm;
  memcpy(&imm, site - 4, 4);
  if (lazy && site[-5] == 0xb8 && imm == (uint32_t)info->si_syscall) rewrite_site(site, imm);
  g[REG_RAX] = gadget(info->si_syscall, g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]);
}

static void arm(void) {
  allowed = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(allowed, "\x0f\x05\xc3", 3);                         /* gadget: syscall; ret */
  memcpy(allowed + 8, "\xb8\x0f\x00\x00\x00\x0f\x05", 7);     /* restorer: rt_sigreturn */
  struct { void* handler; unsigned long flags; void* restorer; uint64_t mask; } act = {
      (void*)on_sigsys, SA_SIGINFO | SA_NODEFER | 0x04000000 /* SA_RESTORER */, allowed + 8, 0};
  if (syscall(SYS_rt_sigaction, SIGSYS, &act, NULL, 8) != 0 ||
      prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, allowed, 4096, &selector) != 0) {
    perror("arming Syscall User Dispatch");
    exit(77);
  }
}

int main(int argc, char** argv) {
  if (argc != 3) return fprintf(stderr, "usage: sud_lazy_rewrite native|trap|lazy N\n"), 2;
  const long n = atol(argv[2]);
  lazy = !strcmp(argv[1], "lazy");
  if (strcmp(argv[1], "native")) arm();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);  /* vDSO: no system call */
  for (long i = 0; i < n; i++) getppid();
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const unsigned long counted = traps;
  const double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / n;
  printf("%s %ld %.1f %lu\n", argv[1], n, ns, counted);
  return 0;
}
