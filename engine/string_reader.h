// How a C string is read out of another process, as pure functions over a "read this range"
// (or "peek this word") callback, so that tests and the string_reader fuzzer can drive them
// with a fake memory of any page layout; remote_mem.cpp plugs in process_vm_readv and
// PTRACE_PEEKDATA. The surprise they encode: the kernel does not split a partial transfer
// inside one iovec (process_vm_readv(2)), so asking for PATH_MAX bytes that run into an
// unmapped page fails even when the string ends before it: the walk asks for one page at a
// time and stops at the first NUL, never reading a page beyond the one that holds it.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace redirect::engine {

/// How reading a C string out of a tracee ended.
struct StringRead {
  enum class Status : std::uint8_t {
    ok,            ///< `length` bytes then a NUL are in the buffer
    unreadable,    ///< the pointer, or a page before the NUL, is not mapped (kernel: EFAULT)
    unterminated,  ///< no NUL within the buffer (kernel: ENAMETOOLONG for a path)
    forbidden,     ///< the kernel does not let us read this tracee's memory at all
    gone,          ///< the tracee died (ESRCH)
    failed,        ///< any other errno in `error`: a bug or a resource problem of ours
  };
  Status status = Status::failed;
  std::size_t length = 0;
  int error = 0;
};

/// The outcome of a read that failed with `err` (never 0).
constexpr StringRead string_read_failure(int err) {
  if (err == ESRCH) return {StringRead::Status::gone, 0, err};
  if (err == EFAULT || err == EIO) return {StringRead::Status::unreadable, 0, err};
  return {StringRead::Status::failed, 0, err};
}

/// What one ranged read gave: `bytes` copied from the start of the range (short is allowed,
/// 0 means "nothing there", as process_vm_readv returns), or `error` when it failed.
struct RangeRead {
  std::size_t bytes = 0;
  int error = 0;
};

/// Reads the NUL-terminated string at `addr` into `buf` (NUL included) with
/// `read(std::uint64_t at, std::span<char> into) -> RangeRead`, asking only for ranges inside
/// one `page_size` page (a power of two) and never past the page holding the NUL or past
/// buf.size() bytes. Outcomes: ok; unreadable (EFAULT/EIO, 0 bytes copied, or an address
/// range that would wrap around 2^64); unterminated; gone (ESRCH); failed with any other errno
/// in `error` (EPERM included: the caller picks a fallback). Never throws if `read` does not.
template <class ReadRange>
[[nodiscard]] StringRead walk_c_string(ReadRange&& read, std::uint64_t addr, std::span<char> buf,
                                       std::uint64_t page_size) {
  std::size_t got = 0;
  while (got < buf.size()) {
    std::uint64_t at = addr + got;
    if (at < addr) return {StringRead::Status::unreadable, 0, EFAULT};  // wrapped around
    std::size_t chunk = static_cast<std::size_t>(
        std::min<std::uint64_t>(page_size - (at & (page_size - 1)), buf.size() - got));
    RangeRead r = read(at, buf.subspan(got, chunk));
    if (r.error != 0) return string_read_failure(r.error);
    if (r.bytes == 0) return {StringRead::Status::unreadable, 0, EFAULT};
    std::size_t n = std::min(r.bytes, chunk);
    if (const void* nul = std::memchr(buf.data() + got, '\0', n))
      return {StringRead::Status::ok,
              static_cast<std::size_t>(static_cast<const char*>(nul) - buf.data()), 0};
    got += n;
  }
  return {StringRead::Status::unterminated, 0, 0};
}

/// The same walk one aligned machine word at a time with
/// `peek(std::uint64_t word_addr, long& word) -> int` (0 or an errno), as PTRACE_PEEKDATA
/// reads. A first word that cannot be peeked with EIO is `forbidden`: PEEKDATA answers EIO
/// both for unmapped memory and for a tracee the kernel will not let us read at all
/// (ptrace_access_vm), and this walk only runs after process_vm_readv said EPERM. Later EIO or
/// EFAULT is `unreadable`.
template <class PeekWord>
[[nodiscard]] StringRead peek_c_string(PeekWord&& peek, std::uint64_t addr, std::span<char> buf) {
  std::size_t got = 0;
  while (got < buf.size()) {
    std::uint64_t at = addr + got;
    if (at < addr) return {StringRead::Status::unreadable, 0, EFAULT};
    std::uint64_t word_addr = at & ~std::uint64_t{sizeof(long) - 1};
    std::size_t skip = static_cast<std::size_t>(at - word_addr);
    long word = 0;
    if (int err = peek(word_addr, word); err != 0) {
      if (got == 0 && err == EIO) return {StringRead::Status::forbidden, 0, err};
      return string_read_failure(err);
    }
    std::size_t n = std::min(sizeof(long) - skip, buf.size() - got);
    std::memcpy(buf.data() + got, reinterpret_cast<const char*>(&word) + skip, n);
    if (const void* nul = std::memchr(buf.data() + got, '\0', n))
      return {StringRead::Status::ok,
              static_cast<std::size_t>(static_cast<const char*>(nul) - buf.data()), 0};
    got += n;
  }
  return {StringRead::Status::unterminated, 0, 0};
}

}  // namespace redirect::engine
