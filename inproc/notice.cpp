// notice (see notice.h).
#include "inproc/notice.h"

#include <sys/stat.h>
#include <sys/syscall.h>

#include <cstring>

#include "inproc/raw_syscall.h"

namespace redirect::inproc {

std::string_view decimal(long n, char (&buf)[24]) {
  char* end = buf + sizeof buf;
  char* p = end;
  const bool negative = n < 0;
  unsigned long v = negative ? 0ul - static_cast<unsigned long>(n) : static_cast<unsigned long>(n);
  do *--p = static_cast<char>('0' + v % 10);
  while ((v /= 10) != 0);
  if (negative) *--p = '-';
  return {p, static_cast<std::size_t>(end - p)};
}

void notice(const Runtime& rt, std::initializer_list<std::string_view> pieces) {
  const Config& c = rt.config;
  if (c.notice_fd < 0) return;
  struct stat st;
  if (raw_syscall(SYS_fstat, c.notice_fd, &st) != 0 || st.st_dev != c.notice_dev ||
      st.st_ino != c.notice_ino)
    return;
  char line[1024];
  std::size_t n = 0;
  auto put = [&](std::string_view s) {
    const std::size_t k = std::min(s.size(), sizeof line - 1 - n);
    std::memcpy(line + n, s.data(), k);
    n += k;
  };
  put("redirect: ");
  for (std::string_view s : pieces) put(s);
  line[n++] = '\n';
  raw_syscall(SYS_write, c.notice_fd, line, n);
}

}  // namespace redirect::inproc
