// Tracee memory access: process_vm_readv/writev, with PTRACE_PEEKDATA/POKEDATA when the
// kernel refuses those with EPERM (see remote_mem.h). strace src/ucopy.c (umovestr) reads the
// same way; EFAULT and EIO both mean "not mapped" (ptrace(2): PEEKDATA's EIO vs EFAULT are
// "not clearly distinguished"). The string walks themselves are pure functions over a read
// callback in string_reader.h, so tests/fuzz/string_reader_fuzz.cpp drives them with fake
// page layouts; here they get process_vm_readv and PTRACE_PEEKDATA.
#include "engine/remote_mem.h"

#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "engine/scoped_fd.h"
#include "engine/string_reader.h"

namespace redirect::engine {
namespace {

std::uint64_t page_size() {
  static const std::uint64_t size = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// PEEKDATA returns the word as the result, so errno must be cleared to see a failure.
bool peek_word(pid_t tid, std::uint64_t addr, long& word, int& err) {
  errno = 0;
  word = ptrace(PTRACE_PEEKDATA, tid, addr, nullptr);
  err = errno;
  return err == 0;
}

int poke_bytes(pid_t tid, std::uint64_t to, std::span<const char> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    std::uint64_t word_addr = (to + done) & ~std::uint64_t{sizeof(long) - 1};
    std::size_t skip = (to + done) - word_addr;
    std::size_t n = std::min(sizeof(long) - skip, bytes.size() - done);
    long word = 0;
    int err;
    // A partial word keeps the tracee's other bytes.
    if ((skip != 0 || n != sizeof(long)) && !peek_word(tid, word_addr, word, err)) return err;
    std::memcpy(reinterpret_cast<char*>(&word) + skip, bytes.data() + done, n);
    if (ptrace(PTRACE_POKEDATA, tid, word_addr, word) != 0) return errno;
    done += n;
  }
  return 0;
}

// Whether POKEDATA may write [lo, hi): PTRACE_POKEDATA writes with FOLL_FORCE, which also
// goes through PROT_NONE and read-only private mappings (that is how debuggers plant
// breakpoints), so it would silently fill a thread's guard page. Allowed only inside one
// writable mapping, or in the gap right below the main thread's stack ("[stack]", the one
// mapping that grows down), which the write grows it into. Reads /proc/TID/maps: a rare path,
// taken only when process_vm_writev failed; no allocation.
bool poke_is_safe(pid_t tid, std::uint64_t lo, std::uint64_t hi) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/maps", static_cast<int>(tid));
  ScopedFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  char buf[8192];
  std::size_t have = 0;
  bool verdict = false, decided = false;
  while (!decided) {
    ssize_t n = ::read(fd.get(), buf + have, sizeof buf - have);
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    char* line = buf;
    while (char* nl = static_cast<char*>(std::memchr(line, '\n', buf + have - line))) {
      *nl = '\0';
      unsigned long long start = 0, end = 0;
      char perms[8] = {};
      int name_at = 0;
      if (std::sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end, perms, &name_at) >= 3 &&
          end > lo) {
        // The first mapping that ends above lo decides.
        const char* name = name_at > 0 ? line + name_at : "";
        bool writable = perms[1] == 'w';
        if (start <= lo)
          verdict = writable && hi <= end;
        else
          verdict = writable && hi <= end && std::strcmp(name, "[stack]") == 0 &&
                    start - lo <= (1u << 20);  // within the kernel's stack_guard_gap
        decided = true;
        break;
      }
      line = nl + 1;
    }
    have = static_cast<std::size_t>(buf + have - line);
    std::memmove(buf, line, have);
    if (have == sizeof buf) break;  // a line longer than the buffer: give up, unsafe
  }
  return verdict;
}

}  // namespace

StringRead read_c_string(pid_t tid, RemotePtr addr, std::span<char> buf) noexcept {
  auto read_range = [tid](std::uint64_t at, std::span<char> into) -> RangeRead {
    iovec local{into.data(), into.size()};
    iovec remote{reinterpret_cast<void*>(at), into.size()};
    ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
    if (n < 0) return {0, errno};
    return {static_cast<std::size_t>(n), 0};
  };
  StringRead r = walk_c_string(read_range, addr.addr, buf, page_size());
  if (r.status != StringRead::Status::failed || r.error != EPERM) return r;
  // process_vm_readv refused (credentials differ, non-dumpable): PEEKDATA, word by word.
  auto peek = [tid](std::uint64_t word_addr, long& word) {
    int err;
    return peek_word(tid, word_addr, word, err) ? 0 : err;
  };
  return peek_c_string(peek, addr.addr, buf);
}

bool read_bytes(pid_t tid, RemotePtr addr, std::span<char> out) noexcept {
  iovec local{out.data(), out.size()};
  iovec remote{reinterpret_cast<void*>(addr.addr), out.size()};
  ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
  if (n == static_cast<ssize_t>(out.size())) return true;
  if (n >= 0 || errno != EPERM) return false;
  for (std::size_t done = 0; done < out.size(); done += sizeof(long)) {
    long word;
    int err;
    if (!peek_word(tid, addr.addr + done, word, err)) return false;
    std::memcpy(out.data() + done, &word, std::min(sizeof word, out.size() - done));
  }
  return true;
}

int write_remote(pid_t tid, std::span<const RemoteWrite> pieces) noexcept {
  constexpr std::size_t max_pieces = 8;
  iovec local[max_pieces], remote[max_pieces];
  std::size_t total = 0, count = std::min(pieces.size(), max_pieces);
  for (std::size_t i = 0; i < count; ++i) {
    local[i] = {const_cast<char*>(pieces[i].bytes.data()), pieces[i].bytes.size()};
    remote[i] = {reinterpret_cast<void*>(pieces[i].to.addr), pieces[i].bytes.size()};
    total += pieces[i].bytes.size();
  }
  int err = 0;
  if (count == pieces.size()) {
    ssize_t n = process_vm_writev(tid, local, count, remote, count, 0);
    if (n == static_cast<ssize_t>(total)) return 0;
    err = n < 0 ? errno : EFAULT;  // short: a later piece is not mapped
    if (err == ESRCH) return err;
  }
  // Word by word for EPERM (credentials differ), more pieces than iovecs, and EFAULT: since
  // Linux 6.5 process_vm_writev (GUP) no longer grows a stack mapping down to the address
  // (mm/gup.c, "GUP no longer grows the stack"), but PTRACE_POKEDATA (access_remote_vm) still
  // does, so a program deep in a recursion, whose sp is near the bottom of [stack], gets its
  // rewritten path. Only where poke_is_safe() says so: never into a guard page.
  std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
  for (const RemoteWrite& p : pieces) {
    lo = std::min(lo, p.to.addr);
    hi = std::max(hi, p.to.addr + p.bytes.size());
  }
  if (!poke_is_safe(tid, lo, hi)) return err == 0 ? EFAULT : err;
  for (const RemoteWrite& p : pieces)
    if (int e = poke_bytes(tid, p.to.addr, p.bytes); e != 0) return e;
  return 0;
}

}  // namespace redirect::engine
