// on_dispatch_trap (see lazy_sites.h). The per-trap cost for a call that is not rewritten is a
// few loads: the switch, the call's number, a probe of the table of refused sites, the thread
// counts. The rewriting itself (once per site) runs on the thread's private stack with every
// signal blocked, and reads /proc/self/maps (and, after threads were made, /proc/self/status).
#include "inproc/lazy_sites.h"

#include <elf.h>
#include <link.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "inproc/code_pages.h"
#include "inproc/in_place.h"
#include "inproc/notice.h"
#include "inproc/program_copy.h"
#include "inproc/program_filter.h"
#include "inproc/raw_syscall.h"
#include "inproc/sole_thread.h"
#include "inproc/thread_stacks.h"
#include "inproc/trampolines.h"

extern "C" const ElfW(Ehdr) __ehdr_start;  // our own image's ELF header (the linker's symbol)

namespace redirect::inproc {
namespace {

constexpr unsigned char kMovEax = 0xb8;
constexpr std::size_t kMovBytes = 5, kSyscallBytes = 2;

std::atomic<bool> rewriting{false};  // on, and not stopped for good
bool counting = false;
std::atomic<long> traps{0}, rewritten{0}, refused_count{0};

// Sites (addresses of their `syscall`) examined and refused: open addressing, written only
// while one thread runs, read by any.
constexpr std::size_t kRefusedSlots = 4096;
std::atomic<std::uintptr_t> refused[kRefusedSlots];

std::size_t slot_of(std::uintptr_t site) { return (site * 0x9e3779b97f4a7c15ull) >> 52; }

bool is_refused(std::uintptr_t site) {
  for (std::size_t i = slot_of(site), k = 0; k < kRefusedSlots; ++k, i = (i + 1) % kRefusedSlots) {
    const std::uintptr_t v = refused[i].load(std::memory_order_relaxed);
    if (v == site) return true;
    if (v == 0) return false;
  }
  return false;
}

void refuse(std::uintptr_t site) {
  refused_count.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = slot_of(site), k = 0; k < kRefusedSlots; ++k, i = (i + 1) % kRefusedSlots) {
    if (refused[i].load(std::memory_order_relaxed) == 0) {
      refused[i].store(site, std::memory_order_relaxed);
      return;
    }
  }
  rewriting.store(false);  // full: stop examining sites rather than examine them at every trap
}

bool rewritable_call(const Runtime* rt, long nr) {
  switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
    case SYS_rt_sigreturn:
    case SYS_seccomp: return false;
    default: return !needs_handler(rt, nr);
  }
}

// A seccomp filter the program installs itself may allow only the calls it expects from then
// on: rewriting a site makes calls of our own (mprotect, openat of /proc/self/maps, ...) that
// such a filter could refuse, or kill the process for. A filter in place before the program
// started (systemd's, a container's) is made for a whole process, the dynamic loader's
// openat, mmap and mprotect included; one that refuses mprotect with PROT_WRITE only leaves
// the sites trapping.
bool installs_seccomp_filter(long nr, const ucontext_t* uc) {
  const long arg0 = uc->uc_mcontext.gregs[REG_RDI];
  return nr == SYS_seccomp || (nr == SYS_prctl && arg0 == PR_SET_SECCOMP);
}

enum class Outcome { rewritten, refused, later, stop };

// The 5-byte span of the mov within `code` (its 7 bytes): the pages the write touches.
CodeSpan mov_part(const CodeSpan& code) {
  CodeSpan mov = code;
  mov.size = kMovBytes;
  if (mov.pages == 2 && ((code.start + kMovBytes - 1) & ~std::uintptr_t{4095}) == code.page[0])
    mov.pages = 1;
  return mov;
}

// The 5 bytes before the `syscall` of glibc's syscall() (mov 0x8(%rsp),%r9) and the 6 after
// it (cmp $-4095,%rax: the flags and r11 the filtered slot changes are dead there).
constexpr unsigned char kSyscallFnBefore[kMovBytes] = {0x4c, 0x8b, 0x4c, 0x24, 0x08};
constexpr unsigned char kSyscallFnAfter[6] = {0x48, 0x3d, 0x01, 0xf0, 0xff, 0xff};
constexpr unsigned char kSyscall[kSyscallBytes] = {0x0f, 0x05};

// Bit n set: call n may be made from a filtered slot (rewritable_call), for the slots to read.
alignas(64) unsigned char direct_calls[kDirectCalls / 8];

// The slot a site of `code`'s bytes (its 5 + 2 bytes, read) jumps to: 0 when the site has
// neither shape, or no slot could be written (`stop` set when no later one could be either).
std::uintptr_t slot_for(long nr, std::uintptr_t site, const unsigned char* bytes, bool& stop) {
  if (std::memcmp(bytes + kMovBytes, kSyscall, kSyscallBytes) != 0) return 0;
  std::uint32_t imm;
  std::memcpy(&imm, bytes + 1, 4);
  std::uintptr_t slot = 0;
  if (bytes[0] == kMovEax && imm == static_cast<std::uint32_t>(nr)) {
    slot = make_trampoline(imm, site + kSyscallBytes);
  } else if (std::memcmp(bytes, kSyscallFnBefore, kMovBytes) == 0) {
    CodeSpan after;
    if (!inspect_code(site + kSyscallBytes, sizeof kSyscallFnAfter, after) ||
        std::memcmp(reinterpret_cast<const void*>(site + kSyscallBytes), kSyscallFnAfter,
                    sizeof kSyscallFnAfter) != 0)
      return 0;
    slot = make_filtered_trampoline(kSyscallFnBefore, site, direct_calls);
  } else {
    return 0;
  }
  stop = slot == 0;  // the area is full, or our own page cannot be written
  return slot;
}

Outcome rewrite(long nr, std::uintptr_t site) {
  if (!sole_thread()) return Outcome::later;
  const std::uintptr_t mov = site - kMovBytes;
  CodeSpan code;
  if (!inspect_code(mov, kMovBytes + kSyscallBytes, code)) return Outcome::refused;
  unsigned char bytes[kMovBytes + kSyscallBytes];
  std::memcpy(bytes, reinterpret_cast<const void*>(mov), sizeof bytes);
  bool stop = false;
  const std::uintptr_t slot = slot_for(nr, site, bytes, stop);
  if (slot == 0) return stop ? Outcome::stop : Outcome::refused;
  const std::uintptr_t target = reachable_from(site, slot);
  if (target == 0) return Outcome::refused;
  unsigned char jmp[kMovBytes] = {0xe9};
  const auto rel = static_cast<std::int32_t>(static_cast<std::int64_t>(target - site));
  std::memcpy(jmp + 1, &rel, 4);
  bool protection_kept = true;
  if (!write_code(mov_part(code), jmp, protection_kept)) return Outcome::refused;
  // The bytes are in; a page whose protection could not be put back stays writable, and no
  // other page is touched after that.
  return protection_kept ? Outcome::rewritten : Outcome::stop;
}

struct Attempt {
  long nr;
  std::uintptr_t site;
  Outcome outcome;
};

void rewrite_on_private_stack(void* p) {
  auto& a = *static_cast<Attempt*>(p);
  a.outcome = rewrite(a.nr, a.site);
}

void attempt(long nr, std::uintptr_t site) {
  Attempt a{nr, site, Outcome::later};
  // Below our own frame: on a nested trap that frame is on the private stack already.
  void* top = private_stack_top(static_cast<int>(raw_syscall(SYS_gettid)), &a);
  if (top == nullptr) return;
  const std::uint64_t all = ~std::uint64_t{0};
  std::uint64_t old = 0;
  if (raw_syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, &old, 8) != 0) return;
  redirect_inproc_on_stack(rewrite_on_private_stack, &a, top);
  raw_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
  switch (a.outcome) {
    case Outcome::rewritten: rewritten.fetch_add(1, std::memory_order_relaxed); break;
    case Outcome::refused: refuse(site); break;
    case Outcome::stop: rewriting.store(false); break;
    case Outcome::later: break;
  }
}

void report(const Runtime* rt) {
  if (rt == nullptr) return;
  char pid[24], t[24], w[24], r[24];
  notice(*rt, {"pid ", decimal(raw_syscall(SYS_getpid), pid), ": ",
               decimal(traps.load(), t), " dispatch traps, ", decimal(rewritten.load(), w),
               " syscall sites rewritten, ", decimal(refused_count.load(), r), " refused"});
}

// [lo, hi) of our own image, from its program headers.
void find_own_image() {
  const auto base = reinterpret_cast<std::uintptr_t>(&__ehdr_start);
  const auto* ph = reinterpret_cast<const ElfW(Phdr)*>(base + __ehdr_start.e_phoff);
  std::uintptr_t lo = ~std::uintptr_t{0}, hi = 0, bias = base;
  for (int i = 0; i < __ehdr_start.e_phnum; ++i)
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) bias = base - ph[i].p_vaddr;
  for (int i = 0; i < __ehdr_start.e_phnum; ++i) {
    if (ph[i].p_type != PT_LOAD) continue;
    lo = std::min<std::uintptr_t>(lo, bias + ph[i].p_vaddr);
    hi = std::max<std::uintptr_t>(hi, bias + ph[i].p_vaddr + ph[i].p_memsz);
  }
  if (hi > lo) set_own_image(lo & ~std::uintptr_t{4095}, (hi + 4095) & ~std::uintptr_t{4095});
}

}  // namespace

void init_lazy_sites() {
  const char* lazy = std::getenv("REDIRECT_INPROC_LAZY");
  const char* count = std::getenv("REDIRECT_INPROC_COUNT_TRAPS");
  counting = count != nullptr && std::strcmp(count, "1") == 0;
  find_own_image();
  const Runtime* rt = runtime();
  for (long nr = 0; nr < static_cast<long>(kDirectCalls); ++nr)
    if (rewritable_call(rt, nr)) direct_calls[nr / 8] |= static_cast<unsigned char>(1u << (nr % 8));
  rewriting.store(lazy == nullptr || std::strcmp(lazy, "0") != 0);
}

void on_dispatch_trap(const Runtime* rt, long nr, const ucontext_t* uc) {
  if (counting) traps.fetch_add(1, std::memory_order_relaxed);
  if (nr == SYS_exit) note_thread_exit();
  if (nr == SYS_exit_group && counting) report(rt);
  if (installs_seccomp_filter(nr, uc)) {
    rewriting.store(false);
    stop_kernel_copies();
    note_program_filter();
  }
  if (!rewriting.load(std::memory_order_relaxed) || !rewritable_call(rt, nr)) return;
  const auto site = static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]) - kSyscallBytes;
  if (is_refused(site) || !may_be_sole_thread()) return;
  attempt(nr, site);
}

}  // namespace redirect::inproc
