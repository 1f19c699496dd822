// read_socket_path / put_socket_path (see socket_path.h).
#include "inproc/socket_path.h"

#include <cstring>

#include "inproc/path_rewrite.h"

namespace redirect::inproc {
namespace {

using Kind = rules::ArgBase::Kind;

// The address and its length, from the registers or from the program's msghdr.
bool address_of(const long* args, unsigned arg, rules::ArgBase base, SocketArg& s,
                const char*& addr, std::size_t& length) {
  if (base.kind == Kind::sockaddr) {
    addr = reinterpret_cast<const char*>(args[arg]);
    length = static_cast<std::size_t>(static_cast<std::uint32_t>(args[base.dirfd_reg]));
    return true;
  }
  const auto* h = reinterpret_cast<const msghdr*>(args[arg]);
  if (!readable(h, sizeof *h)) return false;
  s.program_header = h;
  addr = static_cast<const char*>(h->msg_name);
  length = h->msg_namelen;
  return addr != nullptr;
}

}  // namespace

std::optional<std::size_t> read_socket_path(const long* args, unsigned arg, rules::ArgBase base,
                                            SocketArg& s, std::span<char> out) {
  const char* addr = nullptr;
  std::size_t length = 0;
  if (!address_of(args, arg, base, s, addr, length)) return std::nullopt;
  const std::size_t path_at = offsetof(sockaddr_un, sun_path);
  if (length <= path_at || length > sizeof(sockaddr_un) || !readable(addr, length))
    return std::nullopt;
  sa_family_t family;
  std::memcpy(&family, addr, sizeof family);
  if (family != AF_UNIX || addr[path_at] == '\0') return std::nullopt;  // abstract or none
  std::size_t n = 0;
  while (path_at + n < length && addr[path_at + n] != '\0' && n + 1 < out.size()) {
    out[n] = addr[path_at + n];
    ++n;
  }
  out[n] = '\0';
  return n;
}

void put_socket_path(long* args, unsigned arg, rules::ArgBase base, SocketArg& s,
                     std::string_view path) {
  std::memset(&s.addr, 0, sizeof s.addr);
  s.addr.sun_family = AF_UNIX;
  std::memcpy(s.addr.sun_path, path.data(), path.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  if (base.kind == Kind::sockaddr) {
    args[arg] = reinterpret_cast<long>(&s.addr);
    args[base.dirfd_reg] = length;
    return;
  }
  s.header = *s.program_header;
  s.header.msg_name = &s.addr;
  s.header.msg_namelen = length;
  args[arg] = reinterpret_cast<long>(&s.header);
}

}  // namespace redirect::inproc
