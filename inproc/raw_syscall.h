// System calls the in-process backend makes itself, all through gadget.S: the one region
// Syscall User Dispatch lets through. libc's wrappers would trap back into our own handler
// (and may take locks the interrupted program holds), so nothing of ours calls them once the
// handler is installed. Results are the kernel's: a value, or -errno.
#pragma once

#include <cstdint>

extern "C" {
long redirect_inproc_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long redirect_inproc_syscall_on_sp(long nr, long a0, long a1, long sp);
long redirect_inproc_int80(long nr, long bx, long cx, long dx, long si, long di, long bp);
void redirect_inproc_restorer();
[[noreturn]] void redirect_inproc_sigreturn_at(void* frame_sp);
long redirect_inproc_clone_into(long nr, long a0, long a1, long a2, long a3, long a4,
                                const void* child_regs);
long redirect_inproc_vfork_from(long nr, long a0, long a1, long a2, long a3, long a4,
                                void* child);
void redirect_inproc_on_stack(void (*fn)(void*), void* arg, void* stack_top);
extern char redirect_inproc_region_start[];
extern char redirect_inproc_region_end[];
}

namespace redirect::inproc {

template <class... A>
long raw_syscall(long nr, A... args) {
  static_assert(sizeof...(A) <= 6);
  long a[6] = {(long)args...};
  return redirect_inproc_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

inline long raw_syscall(long nr) { return redirect_inproc_syscall6(nr, 0, 0, 0, 0, 0, 0); }

}  // namespace redirect::inproc
