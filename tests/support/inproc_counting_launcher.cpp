// A redirect-inproc-exec whose arming hook is a test's, not the runtime's: it arms Syscall
// User Dispatch with a SIGSYS handler that counts the program's getppid calls, re-issues every
// trapped call from the launcher's own code and, at exit_group, prints
// "inproc_counting_launcher: N getppid calls trapped" to stderr. It proves the launcher calls
// its hook last and that the program then runs armed: a loaded program that makes K getppid
// calls must be reported with exactly K. The allowed region is the launcher's whole image, so
// the handler's own calls and glibc's signal restorer (SA_RESTORER, in the launcher) never
// trap. x86_64 only (ucontext registers, the raw syscall); enough for a single-threaded
// program without signal handlers (a real runtime must also handle clone and rt_sigreturn).
#include <link.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "inproc/launcher/launcher.h"

namespace {

volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;
volatile unsigned long getppid_calls = 0;

long raw_syscall(long nr, long a, long b, long c, long d, long e, long f) {
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  long ret = 0;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

void on_sigsys(int, siginfo_t* info, void* context) {
  auto* gregs = static_cast<ucontext_t*>(context)->uc_mcontext.gregs;
  const long nr = info->si_syscall;
  if (nr == SYS_getppid) getppid_calls = getppid_calls + 1;
  if (nr == SYS_exit_group) {
    char line[96];
    const int n = std::snprintf(
        line, sizeof line, "inproc_counting_launcher: %lu getppid calls trapped\n", getppid_calls);
    raw_syscall(SYS_write, 2, reinterpret_cast<long>(line), n, 0, 0, 0);
  }
  gregs[REG_RAX] = raw_syscall(nr, gregs[REG_RDI], gregs[REG_RSI], gregs[REG_RDX], gregs[REG_R10],
                               gregs[REG_R8], gregs[REG_R9]);
}

// The launcher's own image, [lo, hi): the first object dl_iterate_phdr reports.
int own_range(dl_phdr_info* info, std::size_t, void* data) {
  auto* range = static_cast<std::uintptr_t*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    if (info->dlpi_phdr[i].p_type != PT_LOAD) continue;
    const std::uintptr_t at = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
    range[0] = std::min(range[0], at);
    range[1] = std::max(range[1], at + info->dlpi_phdr[i].p_memsz);
  }
  return 1;
}

std::optional<std::string> arm_counting(const redirect::inproc::LaunchedProgram&) {
  std::uintptr_t range[2] = {~std::uintptr_t{0}, 0};
  dl_iterate_phdr(own_range, range);
  struct sigaction action {};
  action.sa_sigaction = on_sigsys;
  action.sa_flags = SA_SIGINFO | SA_NODEFER;
  if (sigaction(SIGSYS, &action, nullptr) != 0) return std::string("sigaction(SIGSYS) failed");
  if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, range[0], range[1] - range[0],
            &selector) != 0)
    return std::string("prctl(PR_SET_SYSCALL_USER_DISPATCH) failed");
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  return redirect::inproc::launch(argc, argv, envp, &arm_counting);
}
