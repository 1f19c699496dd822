// inspect_code and write_code (see code_pages.h). /proc/self/maps is parsed as it streams in
// (its size has no bound), one line at a time into a small buffer: a line is
// "START-END PERMS OFFSET DEV INODE   PATH", and nothing after the first bytes of PATH matters.
#include "inproc/code_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cstring>
#include <string_view>

#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

constexpr std::uintptr_t kPage = 4096;

std::uintptr_t own_lo = 0, own_hi = 0;

struct MapsLine {
  std::uintptr_t start = 0, end = 0;
  int prot = 0;
  bool is_private = false;
  bool program_code = false;  // a file, or anonymous (named or not), not a special mapping
};

// Parses hex at `s[i]...` up to a non-hex character.
std::uintptr_t hex(std::string_view s, std::size_t& i) {
  std::uintptr_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) break;
    v = v * 16 + static_cast<std::uintptr_t>(d);
  }
  return v;
}

// Skips one blank-separated field and the blanks after it.
void skip_field(std::string_view s, std::size_t& i) {
  while (i < s.size() && s[i] != ' ') ++i;
  while (i < s.size() && s[i] == ' ') ++i;
}

bool parse_line(std::string_view s, MapsLine& m) {
  std::size_t i = 0;
  m.start = hex(s, i);
  if (i >= s.size() || s[i] != '-') return false;
  ++i;
  m.end = hex(s, i);
  if (i + 5 > s.size() || s[i] != ' ') return false;
  const std::string_view perms = s.substr(i + 1, 4);
  m.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
           (perms[2] == 'x' ? PROT_EXEC : 0);
  m.is_private = perms[3] == 'p';
  i += 1;
  for (int field = 0; field < 4; ++field) skip_field(s, i);  // perms offset dev inode
  const std::string_view path = s.substr(i);
  m.program_code = path.empty() || path[0] == '/' || path.starts_with("[anon:");
  return true;
}

// Calls `on_line` for each line of /proc/self/maps; false when it cannot be read.
template <class F>
bool each_maps_line(F&& on_line) {
  const long fd = raw_syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char chunk[2048];
  char line[160];
  std::size_t used = 0;
  bool ok = true;
  for (;;) {
    const long n = raw_syscall(SYS_read, fd, chunk, sizeof chunk);
    if (n < 0) ok = false;
    if (n <= 0) break;
    for (long k = 0; k < n; ++k) {
      if (chunk[k] != '\n') {
        if (used < sizeof line) line[used++] = chunk[k];  // a long path is cut: only its start counts
        continue;
      }
      MapsLine m;
      if (parse_line({line, used}, m)) on_line(m);
      used = 0;
    }
  }
  raw_syscall(SYS_close, fd);
  return ok;
}

bool page_is_code(const MapsLine& m) {
  return m.is_private && m.program_code && (m.prot & PROT_READ) && (m.prot & PROT_EXEC);
}

}  // namespace

void set_own_image(std::uintptr_t lo, std::uintptr_t hi) {
  own_lo = lo;
  own_hi = hi;
}

bool inspect_code(std::uintptr_t start, std::size_t size, CodeSpan& span) {
  if (size == 0 || size > kPage || start + size < start) return false;
  if (start < own_hi && start + size > own_lo) return false;
  span = CodeSpan{start, size, 0, {}, {}};
  const std::uintptr_t first = start & ~(kPage - 1), last = (start + size - 1) & ~(kPage - 1);
  span.pages = first == last ? 1 : 2;
  span.page[0] = first;
  span.page[1] = last;
  bool found[2] = {false, false}, good[2] = {false, false};
  const bool read = each_maps_line([&](const MapsLine& m) {
    for (int p = 0; p < span.pages; ++p) {
      if (span.page[p] < m.start || span.page[p] >= m.end) continue;
      found[p] = true;
      good[p] = page_is_code(m);
      span.prot[p] = m.prot;
    }
  });
  if (!read) return false;
  for (int p = 0; p < span.pages; ++p)
    if (!found[p] || !good[p]) return false;
  return true;
}

bool write_code(const CodeSpan& span, const unsigned char* bytes, bool& protection_kept) {
  protection_kept = true;
  int opened = 0;
  for (; opened < span.pages; ++opened) {
    if (span.prot[opened] & PROT_WRITE) continue;
    if (raw_syscall(SYS_mprotect, span.page[opened], kPage, span.prot[opened] | PROT_WRITE) != 0)
      break;
  }
  const bool writable = opened == span.pages;
  if (writable) std::memcpy(reinterpret_cast<void*>(span.start), bytes, span.size);
  for (int p = 0; p < opened; ++p) {
    if (span.prot[p] & PROT_WRITE) continue;
    if (raw_syscall(SYS_mprotect, span.page[p], kPage, span.prot[p]) != 0) protection_kept = false;
  }
  return writable;
}

}  // namespace redirect::inproc
