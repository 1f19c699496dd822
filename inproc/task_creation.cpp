// create_task (see task_creation.h).
#include "inproc/task_creation.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "inproc/path_rewrite.h"
#include "inproc/raw_syscall.h"
#include "inproc/sud.h"

namespace redirect::inproc {
namespace {

// The program's registers for a child on a new stack; gadget.S reads them in this order.
struct ChildRegs {
  std::uint64_t r8, r9, r10, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rsp, rip, rflags;
};
static_assert(sizeof(ChildRegs) == 15 * 8);

// Bytes of the child's new stack the launch uses below ChildRegs (redirect_inproc_child_armed).
constexpr std::uintptr_t kChildScratch = 512;

long on_copied_stack(long nr, std::uint64_t flags, const std::array<long, 6>& a,
                     std::uint64_t (&args3)[16], std::size_t size3) {
  long r;
  if (nr == SYS_clone) {
    r = raw_syscall(SYS_clone, flags, 0, a[2], a[3], a[4]);
  } else {
    args3[0] = flags;
    r = raw_syscall(SYS_clone3, args3, size3);
  }
  if (r == 0) arm_dispatch();
  return r;
}

}  // namespace

long create_task(long nr, const std::array<long, 6>& a, ucontext_t* uc) {
  if (nr == SYS_fork || nr == SYS_vfork) {
    const long flags = (nr == SYS_vfork ? CLONE_VFORK : 0) | SIGCHLD;
    long r = raw_syscall(SYS_clone, flags, 0, 0, 0, 0);
    if (r == 0) arm_dispatch();
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
      // Shared memory on the same stack: only a vfork-like call can be made safely, as fork.
      if (!(flags & CLONE_VFORK)) return -EINVAL;
      flags &= ~static_cast<std::uint64_t>(CLONE_VM);
    }
    return on_copied_stack(nr, flags, a, args3, size3);
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
                    static_cast<std::uint64_t>(g[REG_EFL])};
  if (nr == SYS_clone)
    return redirect_inproc_clone_into(SYS_clone, static_cast<long>(flags),
                                      static_cast<long>(child_sp), a[2], a[3], a[4], regs);
  args3[6] = child_sp - args3[5];  // the stack the child starts on ends at child_sp
  return redirect_inproc_clone_into(SYS_clone3, reinterpret_cast<long>(args3),
                                    static_cast<long>(size3), 0, 0, 0, regs);
}

}  // namespace redirect::inproc
