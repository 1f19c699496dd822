// The SIGSYS handler (see sigsys_handler.h). SA_NODEFER is required: a program's handler that
// runs while our re-issued call blocks (a FIFO open interrupted by SIGALRM) makes calls too,
// and a SIGSYS raised while SIGSYS is blocked kills the process. SA_ONSTACK puts the kernel's
// frame (~3 KB with AVX-512 state) on the alternate stack, which is the thread's private stack
// unless the program armed one (private_altstack.h): never on the program's own stack, which
// may be too small (Go's goroutine stacks) or no longer the program's (a thread that ends).
#include "inproc/sigsys_handler.h"

#include <linux/audit.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <cerrno>

#include "inproc/exec_inject.h"
#include "inproc/getcwd_view.h"
#include "inproc/in_place.h"
#include "inproc/lazy_sites.h"
#include "inproc/notice.h"
#include "inproc/path_rewrite.h"
#include "inproc/private_entry.h"
#include "inproc/raw_syscall.h"
#include "inproc/record_channel.h"
#include "inproc/root_change.h"
#include "inproc/runtime.h"
#include "inproc/signal_layer.h"
#include "inproc/sole_thread.h"
#include "inproc/task_creation.h"
#include "inproc/thread_stacks.h"

namespace redirect::inproc {
namespace {

constexpr int kSysUserDispatch = 2;  // si_code of a dispatch trap (asm-generic/siginfo.h)
constexpr long kSetSyscallUserDispatch = 59;

struct Trap {
  siginfo_t* info;
  ucontext_t* uc;
  int tid;
};

long make(const CallArgs& c) {
  return raw_syscall(c.nr, c.args[0], c.args[1], c.args[2], c.args[3], c.args[4], c.args[5]);
}

// One x86_64 call, on the private stack.
long handle_call(const Runtime& rt, CallArgs& call, ucontext_t* uc) {
  switch (call.nr) {
    case SYS_rt_sigaction: return emulate_sigaction(call.args);
    case SYS_rt_sigprocmask: return emulate_sigprocmask(call.args, uc);
    case SYS_sigaltstack: return emulate_sigaltstack(call.args, uc);
    case SYS_clone:
    case SYS_clone3:
    case SYS_fork:
    case SYS_vfork: {
      const TaskCreation c = note_task_creation(call.nr, call.args);
      const long r = create_task(call.nr, call.args, uc);
      note_task_created(c, r);
      return r;
    }
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo: {
      // A signal this call sends to the calling thread is delivered when our rt_sigreturn
      // puts the program's mask back: at the program's own instruction and on its own
      // alternate stack, as natively, not inside the handler on its private stack.
      const std::uint64_t all_but_sigsys = ~kSigsysBit;
      raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all_but_sigsys, 0, 8);
      return make(call);
    }
    case SYS_getcwd: return record_traced_result(rt, call.nr, getcwd_in_view(rt, call));
    case SYS_prctl:
      // Our dispatch stays armed: turning it off is refused quietly (as if done), arming
      // another is EINVAL, as the kernel says for a second arming.
      if (call.args[0] == kSetSyscallUserDispatch) return call.args[1] == 0 ? 0 : -EINVAL;
      return make(call);
    default: break;
  }
  RewriteBuffers bufs;  // uninitialised on purpose: only what a read or rewrite wrote is used
  long r = apply_rules(rt, call, bufs);
  if (r == 0 && (call.nr == SYS_execve || call.nr == SYS_execveat))
    return exec_with_record(rt, call, bufs.record);
  if (r == 0) r = call.nr == SYS_chroot ? note_chroot(make(call)) : make(call);
  if (rt.config.record_fd >= 0 && bufs.record.wanted) send_call_record(rt, bufs.record, r);
  return r;
}

void on_private_stack(void* p) {
  Trap& t = *static_cast<Trap*>(p);
  greg_t* g = t.uc->uc_mcontext.gregs;
  const Runtime* rt = runtime();
  CallArgs call{t.info->si_syscall, {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8],
                                     g[REG_R9]}, t.tid};
  g[REG_RAX] = handle_call(*rt, call, t.uc);
}

extern "C" void redirect_inproc_sigsys(int sig, siginfo_t* info, void* ucv) {
  auto* uc = static_cast<ucontext_t*>(ucv);
  greg_t* g = uc->uc_mcontext.gregs;
  if (info->si_code != kSysUserDispatch) {
    forward_sigsys(sig, info, uc);
    return;
  }
  if (info->si_arch != AUDIT_ARCH_X86_64) {
    // int $0x80 from a 64-bit program: the i386 table, which no rule of ours is compiled for.
    g[REG_RAX] = redirect_inproc_int80(info->si_syscall, g[REG_RBX], g[REG_RCX], g[REG_RDX],
                                       g[REG_RSI], g[REG_RDI], g[REG_RBP]);
    return;
  }
  on_dispatch_trap(runtime(), info->si_syscall, uc);
  if (info->si_syscall == SYS_rt_sigreturn)
    redirect_inproc_sigreturn_at(reinterpret_cast<void*>(g[REG_RSP]));
  if (runs_in_place(runtime(), info->si_syscall, uc)) {
    g[REG_RAX] = make({info->si_syscall, {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10],
                                          g[REG_R8], g[REG_R9]}});
    return;
  }
  if (looks_private(uc->uc_stack)) {
    // The kernel wrote the frame on the thread's private stack (armed as its alternate one):
    // the handler is on it already, and needs no thread id to find it (tid 0: asked for when
    // a path copy needs it, program_copy.h).
    Trap t{info, uc, 0};
    on_private_stack(&t);
    return;
  }
  Trap t{info, uc, static_cast<int>(raw_syscall(SYS_gettid))};
  void* top = private_stack_top(t.tid, &t);
  if (top == nullptr) {
    // No stack to decide on: the call is made as it was, and said.
    if (const Runtime* rt = runtime()) {
      char nr[24];
      notice(*rt, {"no private stack for a thread (too many threads, or out of memory): "
                   "syscall ", decimal(info->si_syscall, nr), " runs unredirected"});
    }
    CallArgs call{info->si_syscall, {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8],
                                     g[REG_R9]}};
    g[REG_RAX] = make(call);
    return;
  }
  run_on_private_stack(on_private_stack, &t, top, uc, t.tid);
}

}  // namespace

long install_sigsys_handler() {
  KernelSigaction sa;
  sa.handler = reinterpret_cast<void*>(&redirect_inproc_sigsys);
  sa.flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK | kSaRestorer;
  sa.restorer = reinterpret_cast<void*>(&redirect_inproc_restorer);
  sa.mask = 0;
  if (long r = raw_syscall(SYS_rt_sigaction, SIGSYS, &sa, 0, 8); r != 0) return r;
  const std::uint64_t sigsys = kSigsysBit;
  return raw_syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &sigsys, 0, 8);
}

}  // namespace redirect::inproc
