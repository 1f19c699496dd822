// Fuzz target: the tracee-string reader (engine/string_reader.h) over a fake remote memory
// whose layout the input chooses: page size, where the mapped pages are, their bytes, where
// the string starts (up to the very top of the address space), the buffer size, and injected
// failures (EPERM, ESRCH, short reads). Both walks are checked against a byte-by-byte oracle:
// the status and length must be exactly what reading one byte at a time would give, the
// buffer must hold the string, and a range read must never cross a page boundary nor reach
// past the page that holds the NUL (the kernel would fail the whole range: the bug this walk
// exists to avoid). Any mismatch aborts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <vector>

#include "engine/string_reader.h"

namespace {

using redirect::engine::RangeRead;
using redirect::engine::StringRead;
using Status = StringRead::Status;

struct FakeMemory {
  std::uint64_t page = 4096;
  std::map<std::uint64_t, std::vector<char>> pages;  // page base -> bytes (mapped pages only)

  const std::vector<char>* page_of(std::uint64_t a) const {
    auto it = pages.find(a & ~(page - 1));
    return it == pages.end() ? nullptr : &it->second;
  }
  std::optional<char> byte(std::uint64_t a) const {
    const auto* p = page_of(a);
    if (!p) return std::nullopt;
    return (*p)[a & (page - 1)];
  }
};

// What reading one byte at a time gives: the specification of both walks.
StringRead oracle(const FakeMemory& m, std::uint64_t addr, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    std::uint64_t a = addr + i;
    if (a < addr) return {Status::unreadable, 0, EFAULT};
    auto b = m.byte(a);
    if (!b) return {Status::unreadable, 0, EFAULT};
    if (*b == '\0') return {Status::ok, i, 0};
  }
  return {Status::unterminated, 0, 0};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  FakeMemory mem;
  static constexpr std::uint64_t page_sizes[] = {8, 16, 64, 256, 4096};
  mem.page = fdp.PickValueInArray(page_sizes);
  // The mapped area: up to 8 pages, anywhere, including the last pages below 2^64.
  static constexpr std::uint64_t bases[] = {0x10000, 0x7ffffffde000, 0xfffffffffffff000 & ~0xfffULL,
                                            0};
  std::uint64_t base = fdp.PickValueInArray(bases);
  if (base == 0) base = fdp.ConsumeIntegral<std::uint64_t>();
  base &= ~(mem.page - 1);
  auto npages = fdp.ConsumeIntegralInRange<unsigned>(1, 8);
  auto nul_rarity = fdp.ConsumeIntegralInRange<unsigned>(1, 255);
  for (unsigned i = 0; i < npages; ++i) {
    std::uint64_t at = base + i * mem.page;
    if (at < base) break;  // past the top of the address space
    if (!fdp.ConsumeBool()) continue;  // a hole
    std::vector<char> bytes(mem.page);
    for (char& c : bytes) {
      auto v = fdp.ConsumeIntegral<std::uint8_t>();
      c = v % nul_rarity == 0 ? '\0' : static_cast<char>(v | 1);
    }
    mem.pages[at] = std::move(bytes);
  }
  std::uint64_t addr = base + fdp.ConsumeIntegralInRange<std::uint64_t>(0, npages * mem.page);
  std::size_t buf_size = fdp.ConsumeIntegralInRange<std::size_t>(1, 5000);
  auto fail_at = fdp.ConsumeIntegralInRange<unsigned>(0, 12);  // 0: never
  static constexpr int injected[] = {EPERM, ESRCH, ENOMEM};
  int fail_errno = fdp.PickValueInArray(injected);
  bool short_reads = fdp.ConsumeBool();

  const StringRead want = oracle(mem, addr, buf_size);
  std::vector<char> buf(buf_size + 8, '\x7f');
  std::span<char> span(buf.data(), buf_size);

  // Ranged reads, as process_vm_readv with one iovec.
  unsigned calls = 0;
  std::uint64_t highest = 0;  // highest byte asked for
  auto read = [&](std::uint64_t at, std::span<char> into) -> RangeRead {
    ++calls;
    if (into.empty()) std::abort();
    std::uint64_t last = at + into.size() - 1;
    if (last < at || (at & ~(mem.page - 1)) != (last & ~(mem.page - 1))) std::abort();
    if (into.data() < buf.data() || into.data() + into.size() > buf.data() + buf_size)
      std::abort();
    highest = std::max(highest, last);
    if (calls == fail_at) return {0, fail_errno};
    const auto* p = mem.page_of(at);
    if (!p) return {0, EFAULT};
    std::size_t n = into.size();
    if (short_reads && n > 1) n = n / 2;
    std::memcpy(into.data(), p->data() + (at & (mem.page - 1)), n);
    return {n, 0};
  };
  StringRead got = redirect::engine::walk_c_string(read, addr, span, mem.page);
  bool injected_hit = fail_at != 0 && calls >= fail_at;
  if (injected_hit) {
    Status s = fail_errno == ESRCH ? Status::gone : Status::failed;
    if (got.status != s || got.error != fail_errno) std::abort();
  } else {
    if (got.status != want.status) std::abort();
    if (got.status == Status::ok) {
      if (got.length != want.length) std::abort();
      for (std::size_t i = 0; i <= got.length; ++i)
        if (buf[i] != *mem.byte(addr + i)) std::abort();
      // Nothing past the page of the NUL was asked for.
      std::uint64_t nul_page = (addr + got.length) & ~(mem.page - 1);
      if (highest > nul_page + mem.page - 1) std::abort();
    }
  }
  for (std::size_t i = buf_size; i < buf.size(); ++i)
    if (buf[i] != '\x7f') std::abort();

  // Word by word, as PTRACE_PEEKDATA (the fallback after EPERM).
  std::fill(buf.begin(), buf.end(), '\x7f');
  calls = 0;
  auto peek = [&](std::uint64_t word_addr, long& word) -> int {
    ++calls;
    if (word_addr % sizeof(long) != 0) std::abort();
    if (calls == fail_at && fail_errno != EPERM) return fail_errno;
    const auto* p = mem.page_of(word_addr);
    if (!p) return EIO;
    std::memcpy(&word, p->data() + (word_addr & (mem.page - 1)), sizeof word);
    return 0;
  };
  got = redirect::engine::peek_c_string(peek, addr, span);
  injected_hit = fail_at != 0 && calls >= fail_at && fail_errno != EPERM;
  if (injected_hit) {
    Status s = fail_errno == ESRCH ? Status::gone : Status::failed;
    if (got.status != s || got.error != fail_errno) std::abort();
  } else {
    StringRead want_peek = want;
    if (!mem.page_of(addr)) want_peek = {Status::forbidden, 0, EIO};  // the first word
    if (got.status != want_peek.status) std::abort();
    if (got.status == Status::ok) {
      if (got.length != want.length) std::abort();
      for (std::size_t i = 0; i <= got.length; ++i)
        if (buf[i] != *mem.byte(addr + i)) std::abort();
    }
  }
  for (std::size_t i = buf_size; i < buf.size(); ++i)
    if (buf[i] != '\x7f') std::abort();
  return 0;
}
