// The table of private stacks (see thread_stacks.h). Lookup: linear probing from tid's hash.
// A slot of a thread that is gone (kill(tid, 0) says ESRCH) is taken over, stack and all: a
// thread dies inside the handler (exit is a trapped call too), so its stack is free then. A
// slot released after a fork holds kReleased: free to claim, yet not the end of a probe chain.
#include "inproc/thread_stacks.h"

#include <sys/mman.h>
#include <sys/syscall.h>

#include <atomic>
#include <cerrno>
#include <cstdint>

#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

constexpr std::size_t kSlots = 4096;
constexpr std::size_t kGuard = 4096;
constexpr int kReleased = -1;

struct Slot {
  std::atomic<int> tid{0};
  std::atomic<char*> base{nullptr};  // lowest usable byte (the guard page is below)
};

Slot slots[kSlots];

bool thread_gone(int tid) { return raw_syscall(SYS_kill, tid, 0) == -ESRCH; }

char* map_stack() {
  long p = raw_syscall(SYS_mmap, 0, kPrivateStackBytes + kGuard, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (p < 0 && p > -4096) return nullptr;
  raw_syscall(SYS_mprotect, p, kGuard, PROT_NONE);
  return reinterpret_cast<char*>(p) + kGuard;
}

void* top_of(char* base, const void* current_sp) {
  auto sp = reinterpret_cast<std::uintptr_t>(current_sp);
  auto lo = reinterpret_cast<std::uintptr_t>(base);
  std::uintptr_t top = lo + kPrivateStackBytes;
  // Nested: continue below the frames in use, past the kernel's red zone.
  if (sp > lo && sp <= top) top = sp - 256;
  return reinterpret_cast<void*>(top & ~std::uintptr_t{15});
}

// Claims `s` for `tid` when it is free or its thread is gone.
bool claim(Slot& s, int tid) {
  int seen = s.tid.load(std::memory_order_acquire);
  if (seen > 0 && !thread_gone(seen)) return false;
  return s.tid.compare_exchange_strong(seen, tid, std::memory_order_acq_rel);
}

std::size_t first_slot(int tid) { return static_cast<std::size_t>(tid) * 2654435761u % kSlots; }

// The base of `tid`'s private stack, or null when it has none yet.
char* base_of(int tid) {
  const std::size_t start = first_slot(tid);
  for (std::size_t i = 0; i < kSlots; ++i) {
    Slot& s = slots[(start + i) % kSlots];
    const int seen = s.tid.load(std::memory_order_acquire);
    if (seen == tid) return s.base.load(std::memory_order_acquire);
    if (seen == 0) break;  // never used: tid has no slot further on
  }
  return nullptr;
}

}  // namespace

std::optional<stack_t> private_stack_of(int tid) {
  char* base = base_of(tid);
  for (std::size_t i = 0, start = first_slot(tid); base == nullptr && i < kSlots; ++i) {
    Slot& s = slots[(start + i) % kSlots];
    if (!claim(s, tid)) continue;
    base = s.base.load(std::memory_order_acquire);
    if (base == nullptr) {
      base = map_stack();
      if (base == nullptr) {
        s.tid.store(kReleased, std::memory_order_release);
        return std::nullopt;
      }
      s.base.store(base, std::memory_order_release);
    }
  }
  if (base == nullptr) return std::nullopt;
  return stack_t{base, kPrivateStackFlags, kPrivateStackBytes};
}

bool looks_private(const stack_t& s) {
  return s.ss_flags == kPrivateStackFlags && s.ss_size == kPrivateStackBytes;
}

void release_parent_stacks() {
  for (Slot& s : slots)
    if (s.tid.load(std::memory_order_relaxed) != 0) s.tid.store(kReleased, std::memory_order_relaxed);
}

void release_stack_of(int tid) {
  const std::size_t start = first_slot(tid);
  for (std::size_t i = 0; i < kSlots; ++i) {
    Slot& s = slots[(start + i) % kSlots];
    const int seen = s.tid.load(std::memory_order_acquire);
    if (seen == 0) return;
    if (seen == tid) {
      s.tid.store(kReleased, std::memory_order_release);
      return;
    }
  }
}

void* private_stack_top(int tid, const void* current_sp) {
  const std::optional<stack_t> s = private_stack_of(tid);
  return s ? top_of(static_cast<char*>(s->ss_sp), current_sp) : nullptr;
}

std::optional<stack_t> private_stack_holding(int tid, std::uintptr_t sp) {
  char* base = base_of(tid);
  const auto lo = reinterpret_cast<std::uintptr_t>(base);
  if (base == nullptr || sp <= lo || sp > lo + kPrivateStackBytes) return std::nullopt;
  return stack_t{base, SS_ONSTACK, kPrivateStackBytes};
}

}  // namespace redirect::inproc
