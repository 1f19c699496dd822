// Reading the program's memory from the SIGSYS handler without ever faulting in it. A probe
// before a plain load is not enough: another thread of the program can unmap the page between
// the probe and the load (a path passed to open while a second thread remaps its page), and a
// fault in the handler kills the process. So the kernel copies: process_vm_readv on our own
// process, which answers a missing page with a short count instead of a fault, and is allowed
// on one's own process whatever Yama or ptrace policy says.
// A process that never had a second thread (sole_thread.h) keeps the probe and the load: no
// other thread can unmap anything, and the kernel's copy costs more. Where process_vm_readv
// is refused (a sandbox's seccomp template without it, such as snapd's) or once the program
// installs a seccomp filter of its own (which might kill the process for it), the copy falls
// back to the probe and the load too, whose window is documented in docs/inproc.md.
#pragma once

#include <cstddef>

namespace redirect::inproc {

/// Copies up to `len` bytes at `src` in the program's memory to `dst`: how many were copied
/// before the first unreadable page (0 when the first is). `tid`: the calling thread's id
/// when the handler has it (a trap costs no second gettid), or 0 to have it asked for when
/// needed; the kernel's copy reads this thread, not the process, since a leader that exited
/// first has no memory to read.
[[nodiscard]] std::size_t copy_from_program(void* dst, const void* src, std::size_t len,
                                            int tid);

/// The program installs a seccomp filter: from now on no more process_vm_readv of ours.
void stop_kernel_copies();

}  // namespace redirect::inproc
