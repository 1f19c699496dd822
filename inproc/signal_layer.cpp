// The signal layer (see signal_layer.h). Memory the program passes is checked before it is
// touched: a read with readable(); a write by letting the kernel write there first (a real
// rt_sigprocmask / rt_sigaction / sigaltstack query into the same place), so a bad pointer
// gives EFAULT as natively, never a crash of ours.
#include "inproc/signal_layer.h"

#include <sys/syscall.h>

#include <cerrno>
#include <cstring>

#include "inproc/path_rewrite.h"
#include "inproc/raw_syscall.h"
#include "inproc/private_altstack.h"

namespace redirect::inproc {
namespace {

constexpr std::uint64_t kUnblockable = (1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1));
#ifndef SS_AUTODISARM
constexpr int SS_AUTODISARM = 1 << 31;
#endif

// The program's disposition of SIGSYS. Written by whichever thread calls sigaction; a torn
// read needs two threads racing on SIGSYS's handler, which natively is just as undefined.
KernelSigaction program_sigsys{};

std::uint64_t mask_of(const ucontext_t* uc) {
  std::uint64_t m;
  std::memcpy(&m, &uc->uc_sigmask, sizeof m);
  return m;
}

}  // namespace

long emulate_sigaction(const std::array<long, 6>& a) {
  const int sig = static_cast<int>(a[0]);
  const auto* act = reinterpret_cast<const KernelSigaction*>(a[1]);
  auto* oact = reinterpret_cast<KernelSigaction*>(a[2]);
  if (a[3] != 8) return -EINVAL;
  if (act != nullptr && !readable(act, sizeof *act)) return -EFAULT;
  if (sig != SIGSYS) {
    if (act == nullptr) return raw_syscall(SYS_rt_sigaction, sig, 0, oact, 8);
    KernelSigaction copy = *act;
    copy.mask &= ~kSigsysBit;
    return raw_syscall(SYS_rt_sigaction, sig, &copy, oact, 8);
  }
  if (oact != nullptr) {
    // The kernel writes our real disposition there first: EFAULT when it cannot.
    if (long r = raw_syscall(SYS_rt_sigaction, SIGSYS, 0, oact, 8); r != 0) return r;
    *oact = program_sigsys;
  }
  if (act != nullptr) {
    program_sigsys = *act;
    program_sigsys.mask &= ~kSigsysBit;
  }
  return 0;
}

long emulate_sigprocmask(const std::array<long, 6>& a, ucontext_t* uc) {
  const auto* set = reinterpret_cast<const std::uint64_t*>(a[1]);
  auto* oset = reinterpret_cast<std::uint64_t*>(a[2]);
  if (a[3] != 8) return -EINVAL;
  if (set != nullptr && !readable(set, 8)) return -EFAULT;
  std::uint64_t cur = mask_of(uc);
  const std::uint64_t old = cur;
  if (set != nullptr) {
    switch (a[0]) {
      case SIG_BLOCK: cur |= *set; break;
      case SIG_UNBLOCK: cur &= ~*set; break;
      case SIG_SETMASK: cur = *set; break;
      default: return -EINVAL;
    }
    cur &= ~(kSigsysBit | kUnblockable);
  }
  if (oset != nullptr) {
    if (long r = raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, oset, 8); r != 0) return r;
    *oset = old;
  }
  std::memcpy(&uc->uc_sigmask, &cur, sizeof cur);
  return 0;
}

long emulate_sigaltstack(const std::array<long, 6>& a, ucontext_t* uc) {
  const auto* ss = reinterpret_cast<const stack_t*>(a[0]);
  auto* oss = reinterpret_cast<stack_t*>(a[1]);
  const auto sp = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RSP]);
  const int tid = static_cast<int>(raw_syscall(SYS_gettid));
  // What the program set (private_altstack.h); for a program's handler that runs on our
  // private stack, the stack it really runs on: Go's handler checks that its stack pointer
  // lies on the alternate stack it is told of, and without one it waits forever for an M that
  // only cgo programs have.
  const stack_t cur = program_altstack(tid, uc->uc_stack, sp);
  const auto lo = reinterpret_cast<std::uintptr_t>(cur.ss_sp);
  const bool set = !(cur.ss_flags & SS_DISABLE) && cur.ss_size != 0;
  const bool on = set && !(cur.ss_flags & SS_AUTODISARM) && sp > lo && sp - lo <= cur.ss_size;
  if (ss != nullptr && !readable(ss, sizeof *ss)) return -EFAULT;
  if (oss != nullptr) {
    if (long r = raw_syscall(SYS_sigaltstack, 0, oss); r != 0) return r;
    stack_t o = cur;
    // The kernel saves the raw flags: a never-set stack is {0, 0, 0}, which reads SS_DISABLE.
    o.ss_flags = !set ? SS_DISABLE : (on ? SS_ONSTACK : 0) | (cur.ss_flags & SS_AUTODISARM);
    if (!set) o.ss_sp = nullptr, o.ss_size = 0;
    *oss = o;
  }
  if (ss == nullptr) return 0;
  if (on) return -EPERM;
  // Applied now: the trap's rt_sigreturn, made from the private stack, could not change it.
  stack_t armed{};
  if (long r = apply_program_altstack(ss, &armed, tid); r != 0) return r;
  uc->uc_stack = armed;
  return 0;
}

void forward_sigsys(int sig, siginfo_t* info, ucontext_t* uc) {
  const KernelSigaction h = program_sigsys;
  if (h.handler == SIG_IGN) return;
  if (h.handler == SIG_DFL) {
    // The default action, as natively: the process dies of SIGSYS (with a core if it may).
    const KernelSigaction dfl{};
    raw_syscall(SYS_rt_sigaction, SIGSYS, &dfl, 0, 8);
    raw_syscall(SYS_tgkill, raw_syscall(SYS_getpid), raw_syscall(SYS_gettid), SIGSYS);
    return;
  }
  if (h.flags & SA_RESETHAND) program_sigsys = KernelSigaction{};
  // The program's handler runs with its sa_mask added, as the kernel would block it (never
  // SIGSYS itself, see the header).
  std::uint64_t saved = 0, add = h.mask & ~kSigsysBit;
  raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &add, &saved, 8);
  if (h.flags & SA_SIGINFO)
    reinterpret_cast<void (*)(int, siginfo_t*, void*)>(h.handler)(sig, info, uc);
  else
    reinterpret_cast<void (*)(int)>(h.handler)(sig);
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &saved, 0, 8);
}

}  // namespace redirect::inproc
