// create_task (see task_creation.h).
#include "inproc/task_creation.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "inproc/path_rewrite.h"
#include "inproc/raw_syscall.h"
#include "inproc/private_altstack.h"
#include "inproc/sud.h"
#include "inproc/thread_stacks.h"
#include "inproc/vfork_child.h"

namespace redirect::inproc {
namespace {

// The program's registers for a child on a new stack, in the order gadget.S reads them, then
// what redirect_inproc_child_armed needs.
struct ChildRegs {
  std::uint64_t r8, r9, r10, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rsp, rip, rflags;
  stack_t altstack;  // the program's alternate stack in the child, as natively
  bool own_memory;   // not CLONE_VM: the child has a copy of the parent's memory
};
static_assert(offsetof(ChildRegs, rflags) == 14 * 8);

// The program's alternate stack the child of a call with `flags` is given: the parent's when
// the child has a copy of memory, as natively. A child sharing memory gets none (its private
// stack then): a thread has none natively, and a vfork child, which natively shares its
// parent's, must not write on it, since the parent's trap frame lies at its top while the
// parent waits in the handler.
stack_t child_altstack(std::uint64_t flags, const ucontext_t* uc) {
  if (flags & CLONE_VM) return kNoAltstack;
  return programs_own(uc->uc_stack);
}

// In a child on a copy of the handler's stack, before it returns through its copy of the
// trap's frame: the stacks of the parent's threads are free here, and the frame must arm the
// child's own private stack where it would arm the parent's.
void settle_forked_child(ucontext_t* uc) {
  arm_dispatch();
  release_parent_stacks();
  if (!looks_private(uc->uc_stack)) return;
  const std::optional<stack_t> ours = private_stack_of(static_cast<int>(raw_syscall(SYS_gettid)));
  uc->uc_stack = ours.value_or(kNoAltstack);
  // Now, not by the frame's rt_sigreturn: it is made from the stack being replaced.
  set_altstack_off_stack(&uc->uc_stack);
}

// Bytes of the child's new stack the launch uses below ChildRegs (redirect_inproc_child_armed).
constexpr std::uintptr_t kChildScratch = 512;

long on_copied_stack(long nr, std::uint64_t flags, const std::array<long, 6>& a,
                     std::uint64_t (&args3)[16], std::size_t size3, ucontext_t* uc) {
  long r;
  if (nr == SYS_clone) {
    r = raw_syscall(SYS_clone, flags, 0, a[2], a[3], a[4]);
  } else {
    args3[0] = flags;
    r = raw_syscall(SYS_clone3, args3, size3);
  }
  if (r == 0) settle_forked_child(uc);
  return r;
}

}  // namespace

long create_task(long nr, const std::array<long, 6>& a, ucontext_t* uc) {
  if (nr == SYS_vfork) return vfork_sharing_stack(nr, a, nullptr, 0, uc);
  if (nr == SYS_fork) {
    long r = raw_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (r == 0) settle_forked_child(uc);
    return r;
  }
  std::uint64_t args3[16] = {};  // struct clone_args, up to the 128 bytes we know of
  std::size_t size3 = 0;
  std::uint64_t flags, top = 0;
  if (nr == SYS_clone) {
    flags = static_cast<std::uint64_t>(a[0]);
    top = static_cast<std::uint64_t>(a[1]);
  } else {
    size3 = static_cast<std::size_t>(a[1]);
    if (size3 < 64) return -EINVAL;
    if (size3 > sizeof args3) return -E2BIG;  // a newer struct than we can pass on intact
    if (!readable(reinterpret_cast<const void*>(a[0]), size3)) return -EFAULT;
    std::memcpy(args3, reinterpret_cast<const void*>(a[0]), size3);
    flags = args3[0];
    if (args3[5] != 0) top = args3[5] + args3[6];  // stack + stack_size
  }
  if (top == 0) {
    if (flags & CLONE_VM) {
      // Shared memory on the same stack: only a vfork, whose parent waits, can be made safely.
      if (!(flags & CLONE_VFORK)) return -EINVAL;
      return vfork_sharing_stack(nr, a, args3, size3, uc);
    }
    return on_copied_stack(nr, flags, a, args3, size3, uc);
  }
  const greg_t* g = uc->uc_mcontext.gregs;
  auto* regs = reinterpret_cast<ChildRegs*>((top - sizeof(ChildRegs)) & ~std::uint64_t{15});
  const std::uint64_t child_sp = (reinterpret_cast<std::uint64_t>(regs) - kChildScratch) & ~std::uint64_t{15};
  *regs = ChildRegs{static_cast<std::uint64_t>(g[REG_R8]),  static_cast<std::uint64_t>(g[REG_R9]),
                    static_cast<std::uint64_t>(g[REG_R10]), static_cast<std::uint64_t>(g[REG_R12]),
                    static_cast<std::uint64_t>(g[REG_R13]), static_cast<std::uint64_t>(g[REG_R14]),
                    static_cast<std::uint64_t>(g[REG_R15]), static_cast<std::uint64_t>(g[REG_RDI]),
                    static_cast<std::uint64_t>(g[REG_RSI]), static_cast<std::uint64_t>(g[REG_RBP]),
                    static_cast<std::uint64_t>(g[REG_RBX]), static_cast<std::uint64_t>(g[REG_RDX]),
                    top,                                    static_cast<std::uint64_t>(g[REG_RIP]),
                    static_cast<std::uint64_t>(g[REG_EFL]),
                    child_altstack(flags, uc),              !(flags & CLONE_VM)};
  if (nr == SYS_clone)
    return redirect_inproc_clone_into(SYS_clone, static_cast<long>(flags),
                                      static_cast<long>(child_sp), a[2], a[3], a[4], regs);
  args3[6] = child_sp - args3[5];  // the stack the child starts on ends at child_sp
  return redirect_inproc_clone_into(SYS_clone3, reinterpret_cast<long>(args3),
                                    static_cast<long>(size3), 0, 0, 0, regs);
}

}  // namespace redirect::inproc

// Called on the new stack of a child that redirect_inproc_clone_into() started, before it
// returns to the program: SUD is off in every new task, and the child's alternate stack is
// the program's or, without one, its own private stack (never the parent's).
extern "C" __attribute__((visibility("hidden"))) void redirect_inproc_child_armed(const void* p) {
  using namespace redirect::inproc;
  const auto& regs = *static_cast<const ChildRegs*>(p);
  arm_dispatch();
  if (regs.own_memory) release_parent_stacks();
  if (altstack_armed(regs.altstack))
    raw_syscall(SYS_sigaltstack, &regs.altstack, 0);
  else
    arm_private_altstack(static_cast<int>(raw_syscall(SYS_gettid)));
}
