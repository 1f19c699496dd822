// vfork_sharing_stack (see vfork_child.h).
#include "inproc/vfork_child.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include <cstdint>
#include <cstring>

#include "inproc/kernel_frame.h"
#include "inproc/private_altstack.h"
#include "inproc/raw_syscall.h"
#include "inproc/sud.h"
#include "inproc/thread_stacks.h"

namespace redirect::inproc {
namespace {

// What the parent hands the child through shared memory, and what the child leaves behind.
struct VforkChild {
  const ucontext_t* uc;  // the trap's frame, in the parent's handler
  int tid;               // the child's, as it sees it: its private stack is listed under it
};

}  // namespace

long vfork_sharing_stack(long nr, const std::array<long, 6>& a, std::uint64_t* args3,
                         std::size_t size3, ucontext_t* uc) {
  VforkChild child{uc, 0};
  const std::uint64_t all = ~std::uint64_t{0};
  std::uint64_t old = 0;
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
  long r;
  if (nr == SYS_vfork)
    r = redirect_inproc_vfork_from(SYS_clone, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, &child);
  else if (nr == SYS_clone)
    r = redirect_inproc_vfork_from(SYS_clone, a[0], 0, a[2], a[3], a[4], &child);
  else
    r = redirect_inproc_vfork_from(SYS_clone3, reinterpret_cast<long>(args3),
                                   static_cast<long>(size3), 0, 0, 0, &child);
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
  // The child has exec'd or exited: this address space is no longer its, nor its stack.
  if (child.tid != 0) release_stack_of(child.tid);
  return r;
}

}  // namespace redirect::inproc

// The child, on the parent's stack below the parent's stack pointer (vfork_child.h).
extern "C" __attribute__((visibility("hidden"), noreturn)) void redirect_inproc_vfork_child(
    void* p) {
  using namespace redirect::inproc;
  auto& child = *static_cast<VforkChild*>(p);
  arm_dispatch();
  const int tid = static_cast<int>(raw_syscall(SYS_gettid));
  KernelUcontext frame;
  std::memcpy(&frame, child.uc, sizeof frame);
  frame.gregs[REG_RAX] = 0;
  // Never the parent's alternate stack, which a native vfork child shares: the parent's trap
  // frame lies at its top, or on the private stack the child runs on now.
  frame.stack = private_stack_of(tid).value_or(kNoAltstack);
  if (altstack_armed(frame.stack)) child.tid = tid;
  // Set now, not left to the rt_sigreturn: this stack pointer is on the parent's private
  // stack, the alternate stack the child inherited, from which the kernel refuses a change.
  set_altstack_off_stack(&frame.stack);
  redirect_inproc_sigreturn_at(&frame);
}
