// AF_UNIX socket addresses as path arguments, in-process: bind, connect and sendto take a
// struct sockaddr (its length in another register), sendmsg a struct msghdr whose msg_name
// points at one. The path is read out of sun_path so the rules decide on it like any path; a
// rewritten one goes to the kernel as a new sockaddr_un with its length (for sendmsg, behind a
// copy of the program's msghdr naming it: the program's own memory is never written). As in
// engine/socket_address.h: sun_path need not end in a NUL (the length ends it), an abstract
// address starts with a NUL and is no path, and 108 bytes is all sun_path holds.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "rules/matcher.h"

namespace redirect::inproc {

/// One call's socket address: what was read, and the replacement once built.
struct SocketArg {
  sockaddr_un addr;  // the replacement address
  msghdr header;     // sendmsg: the copy of the program's msghdr naming `addr`
  const msghdr* program_header = nullptr;
};

/// The path of the AF_UNIX address in argument `arg` (kind `base`; the registers `args`), into
/// `out` with a NUL; nullopt when there is none to rewrite (another family, abstract, unnamed,
/// unreadable: the kernel answers as natively).
[[nodiscard]] std::optional<std::size_t> read_socket_path(const long* args, unsigned arg,
                                                          rules::ArgBase base, SocketArg& s,
                                                          std::span<char> out);

/// Points argument `arg` (and for a sockaddr, its length register) at a new address for
/// `path` (at most sun_path_max bytes; the Matcher refused longer ones).
void put_socket_path(long* args, unsigned arg, rules::ArgBase base, SocketArg& s,
                     std::string_view path);

}  // namespace redirect::inproc
