// copy_from_program (see program_copy.h).
#include "inproc/program_copy.h"

#include <sys/syscall.h>
#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "inproc/path_rewrite.h"
#include "inproc/raw_syscall.h"
#include "inproc/sole_thread.h"

namespace redirect::inproc {
namespace {

constexpr std::uintptr_t kPage = 4096;
constexpr std::size_t kMaxPieces = 4;  // pages a single copy spans; the caller loops for more

std::atomic<bool> kernel_copies{true};

// One piece per page, because process_vm_readv never splits a piece: a piece that crosses
// into a missing page would count as missing as a whole.
std::size_t split_by_page(std::uintptr_t at, std::size_t len, iovec (&pieces)[kMaxPieces]) {
  std::size_t n = 0;
  while (len > 0 && n < kMaxPieces) {
    const std::size_t in_page = std::min<std::size_t>(kPage - at % kPage, len);
    pieces[n++] = {reinterpret_cast<void*>(at), in_page};
    at += in_page;
    len -= in_page;
  }
  return n;
}

// The probe and the load (program_copy.h says when).
std::size_t probe_and_load(void* dst, const void* src, std::size_t len) {
  const auto at = reinterpret_cast<std::uintptr_t>(src);
  std::size_t done = 0;
  while (done < len) {
    const std::size_t in_page = std::min<std::size_t>(kPage - (at + done) % kPage, len - done);
    if (!readable(static_cast<const char*>(src) + done, 1)) break;
    std::memcpy(static_cast<char*>(dst) + done, static_cast<const char*>(src) + done, in_page);
    done += in_page;
  }
  return done;
}

}  // namespace

std::size_t copy_from_program(void* dst, const void* src, std::size_t len, int tid) {
  const auto at = reinterpret_cast<std::uintptr_t>(src);
  if (len == 0 || at < kPage || at + len < at) return 0;
  // Alone in the address space, nothing can unmap the page between the probe and the load
  // (short of a signal handler of the program's doing it while we run): the kernel's copy
  // costs about 0.4 us more a call than the probe, so it is kept for where it is needed.
  if (never_shared_memory() || !kernel_copies.load(std::memory_order_relaxed))
    return probe_and_load(dst, src, len);
  if (tid == 0) tid = static_cast<int>(raw_syscall(SYS_gettid));
  std::size_t done = 0;
  while (done < len) {
    iovec pieces[kMaxPieces];
    const std::size_t n = split_by_page(at + done, len - done, pieces);
    iovec local{static_cast<char*>(dst) + done, len - done};
    const long r = raw_syscall(SYS_process_vm_readv, tid, &local, 1, pieces, n, 0);
    if (r == -EPERM || r == -ENOSYS || r == -EACCES) {
      kernel_copies.store(false, std::memory_order_relaxed);
      return done + probe_and_load(static_cast<char*>(dst) + done,
                                   static_cast<const char*>(src) + done, len - done);
    }
    if (r <= 0) break;
    done += static_cast<std::size_t>(r);
    std::size_t asked = 0;
    for (std::size_t i = 0; i < n; ++i) asked += pieces[i].iov_len;
    if (static_cast<std::size_t>(r) < asked) break;  // a page is missing
  }
  return done;
}

void stop_kernel_copies() { kernel_copies.store(false, std::memory_order_relaxed); }

}  // namespace redirect::inproc
