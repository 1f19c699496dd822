// make_trampoline, make_filtered_trampoline and reachable_from (see trampolines.h). The slot area is
// [redirect_inproc_trampolines, redirect_inproc_trampolines_end) in gadget.S; slots are handed
// out in order and never freed (a site rewritten once stays rewritten until exec).
#include "inproc/trampolines.h"

#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstring>
#include <initializer_list>

#include "inproc/raw_syscall.h"

extern "C" char redirect_inproc_trampolines[];
extern "C" char redirect_inproc_trampolines_end[];

namespace redirect::inproc {
namespace {

constexpr std::uintptr_t kPage = 4096;
constexpr std::size_t kSlot = 64;
constexpr std::size_t kStub = 16;
constexpr int kStubPages = 32;

std::size_t slots_used = 0;

struct StubPage {
  std::uintptr_t base = 0;
  std::size_t used = 0;
};
StubPage stub_pages[kStubPages];

// `jmp *0(%rip)` followed by the 8-byte target: 14 bytes.
void put_absolute_jump(unsigned char* at, std::uintptr_t target) {
  static constexpr unsigned char kJmpRip[6] = {0xff, 0x25, 0, 0, 0, 0};
  std::memcpy(at, kJmpRip, sizeof kJmpRip);
  std::memcpy(at + sizeof kJmpRip, &target, 8);
}

// Writes `n` bytes at `at` on our own page of protection `prot`, made writable for the write
// and given `prot` back after. It stays executable throughout: the slots or stubs already on
// the page must keep working even when giving the protection back is refused.
bool write_own(std::uintptr_t at, const unsigned char* bytes, std::size_t n, int prot) {
  const std::uintptr_t page = at & ~(kPage - 1);
  if (raw_syscall(SYS_mprotect, page, kPage, prot | PROT_WRITE) != 0) return false;
  std::memcpy(reinterpret_cast<void*>(at), bytes, n);
  return raw_syscall(SYS_mprotect, page, kPage, prot) == 0;
}

// A new stub page within rel32 range of `next`, or 0. MAP_FIXED_NOREPLACE (Linux 4.17): a
// candidate address already in use is refused, never replaced. Below the site first; above
// it, as far as possible first: a non-PIE program's heap (brk) grows up from just after its
// text, and a stub page in its way leaves malloc to go on with mmap.
std::uintptr_t map_stub_page_near(std::uintptr_t next) {
  static constexpr std::int64_t kOffsets[] = {-(256ll << 20), -(1ll << 30), -(1792ll << 20),
                                              1792ll << 20, 1ll << 30, 256ll << 20};
  for (std::int64_t off : kOffsets) {
    const std::uintptr_t want = (next + static_cast<std::uintptr_t>(off)) & ~(kPage - 1);
    if ((off < 0 && want > next) || (off > 0 && want < next) || want < (1u << 20)) continue;
    const long p = raw_syscall(SYS_mmap, want, kPage, PROT_READ | PROT_EXEC,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p < 0 && p > -4096) continue;
    if (static_cast<std::uintptr_t>(p) == want) return want;
    raw_syscall(SYS_munmap, p, kPage);  // an old kernel took it as a hint
  }
  return 0;
}

}  // namespace

bool within_rel32(std::uintptr_t next, std::uintptr_t target) {
  const auto d = static_cast<std::int64_t>(target - next);
  return d == static_cast<std::int32_t>(d);
}

namespace {

// One slot's code, built at the address it will run at.
struct SlotCode {
  std::uintptr_t at;
  unsigned char bytes[kSlot];
  std::size_t n = 0;

  void put(std::initializer_list<unsigned char> b) {
    for (unsigned char c : b) bytes[n++] = c;
  }
  void put32(std::uint32_t v) {
    std::memcpy(bytes + n, &v, 4);
    n += 4;
  }
  std::uintptr_t here() const { return at + n; }
  // jmp to `target`: rel32 when in range, else jmp *0(%rip) and the address.
  void jmp(std::uintptr_t target) {
    if (within_rel32(here() + 5, target)) {
      put({0xe9});
      put32(static_cast<std::uint32_t>(static_cast<std::int64_t>(target - (here() + 4))));
    } else {
      put_absolute_jump(bytes + n, target);
      n += 14;
    }
  }
};

std::uintptr_t next_slot() {
  const auto area = reinterpret_cast<std::uintptr_t>(redirect_inproc_trampolines);
  const auto end = reinterpret_cast<std::uintptr_t>(redirect_inproc_trampolines_end);
  const std::uintptr_t slot = area + slots_used * kSlot;
  return slot + kSlot > end ? 0 : slot;
}

std::uintptr_t commit(SlotCode& code) {
  std::memset(code.bytes + code.n, 0xcc, kSlot - code.n);  // int3 after the code
  if (!write_own(code.at, code.bytes, kSlot, PROT_READ | PROT_EXEC)) return 0;
  ++slots_used;
  return code.at;
}

}  // namespace

std::uintptr_t make_trampoline(std::uint32_t nr, std::uintptr_t resume) {
  SlotCode code{next_slot(), {}};
  if (code.at == 0) return 0;
  code.put({0xb8});  // mov $nr, %eax
  code.put32(nr);
  code.put({0x0f, 0x05});  // syscall
  code.jmp(resume);
  return commit(code);
}

std::uintptr_t make_filtered_trampoline(const unsigned char (&moved)[5], std::uintptr_t site,
                                        const unsigned char* direct) {
  SlotCode code{next_slot(), {}};
  if (code.at == 0) return 0;
  for (unsigned char c : moved) code.put({c});
  code.put({0x48, 0x3d});  // cmp $kDirectCalls, %rax
  code.put32(kDirectCalls);
  code.put({0x73, 0});  // jae slow
  const std::size_t jae = code.n - 1;
  code.put({0x4c, 0x8d, 0x1d});  // lea direct(%rip), %r11
  const auto bitmap = reinterpret_cast<std::uintptr_t>(direct);
  if (!within_rel32(code.here() + 4, bitmap)) return 0;
  code.put32(static_cast<std::uint32_t>(static_cast<std::int64_t>(bitmap - (code.here() + 4))));
  code.put({0x49, 0x0f, 0xa3, 0x03});  // bt %rax, (%r11)
  code.put({0x73, 0});                 // jnc slow
  const std::size_t jnc = code.n - 1;
  code.put({0x0f, 0x05});  // syscall
  code.jmp(site + 2);
  code.bytes[jae] = static_cast<unsigned char>(code.n - (jae + 1));
  code.bytes[jnc] = static_cast<unsigned char>(code.n - (jnc + 1));
  code.jmp(site);  // slow: the site's own syscall, which traps
  return commit(code);
}

std::uintptr_t reachable_from(std::uintptr_t next, std::uintptr_t target) {
  if (within_rel32(next, target)) return target;
  StubPage* page = nullptr;
  for (StubPage& s : stub_pages) {
    if (s.base == 0) {
      s.base = map_stub_page_near(next);
      if (s.base == 0) return 0;
    }
    if (s.used + kStub <= kPage && within_rel32(next, s.base) &&
        within_rel32(next, s.base + kPage)) {
      page = &s;
      break;
    }
  }
  if (page == nullptr) return 0;
  unsigned char stub[kStub];
  std::memset(stub, 0xcc, sizeof stub);
  put_absolute_jump(stub, target);
  const std::uintptr_t at = page->base + page->used;
  if (!write_own(at, stub, sizeof stub, PROT_READ | PROT_EXEC)) return 0;
  page->used += kStub;
  return at;
}

}  // namespace redirect::inproc
