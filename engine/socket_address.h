// AF_UNIX socket addresses as path arguments: bind, connect and sendto take a struct sockaddr
// (its length in another register), sendmsg a struct msghdr whose msg_name points at one. The
// path in sun_path is read out so the rules decide on it like any path, and a rewritten path
// goes back as a new sockaddr_un with its length (sendmsg: followed by a copy of the program's
// msghdr naming it, since the program's own msghdr must stay untouched). The surprises: sun_path
// need not be NUL-terminated (the kernel ends it at the length, unix_mkname), an abstract
// address starts with a NUL byte and is no path at all, and sun_path holds 108 bytes, so a
// longer rewrite cannot even be expressed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/regs.h"
#include "engine/string_reader.h"
#include "engine/syscall_patch.h"
#include "engine/tracee_io.h"
#include "rules/matcher.h"

namespace redirect::engine {

class UnixSocketPath {
 public:
  static constexpr std::size_t path_max = rules::sun_path_max;

  /// The path of the AF_UNIX address in socket argument `arg` of `e` (a sockaddr or a msghdr,
  /// per `base`), into `buf` with a NUL; nullopt when there is none to rewrite: another family,
  /// an abstract or unnamed address, or unreadable memory (the kernel then answers as
  /// natively). Remembers a msghdr for encode().
  std::optional<StringRead> read(TraceeIo& io, pid_t tid, const SyscallEntry& e,
                                 rules::ArgBase base, unsigned arg, std::span<char> buf);

  /// The bytes that replace the address for `path` (at most path_max bytes): a sockaddr_un,
  /// and for a msghdr the copy naming it. Sets `length` (the new address length, for the
  /// length register of a sockaddr) and `link` (the msghdr's pointer to the sockaddr). Valid
  /// until the next call.
  std::span<const char> encode(const arch::Personality& p, rules::ArgBase base,
                               std::string_view path, RegValue& length, PieceLink& link);

 private:
  static constexpr std::uint16_t af_unix = 1;  // AF_UNIX, the same on every Linux ABI
  std::array<char, 56> msghdr_;                // sendmsg: the program's msghdr, as read
  std::size_t msghdr_size_ = 0;
  std::array<char, 112 + 56> out_;  // the new sockaddr_un (and msghdr copy)
};

}  // namespace redirect::engine
