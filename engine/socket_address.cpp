// UnixSocketPath (see socket_address.h).
#include "engine/socket_address.h"

#include <algorithm>
#include <cstring>

namespace redirect::engine {

std::optional<StringRead> UnixSocketPath::read(TraceeIo& io, pid_t tid, const SyscallEntry& e,
                                               rules::ArgBase base, unsigned arg,
                                               std::span<char> buf) {
  const arch::Personality& p = *e.personality;
  std::uint64_t addr = e.args[arg];
  std::uint64_t len = static_cast<std::uint32_t>(e.raw_args[base.dirfd_reg]);  // a socklen_t
  if (base.kind == rules::ArgBase::Kind::msghdr) {
    const arch::MsghdrLayout& at = p.msghdr_layout;
    msghdr_size_ = at.bytes;
    if (!io.read_bytes(tid, RemotePtr{addr}, std::span(msghdr_.data(), msghdr_size_)))
      return std::nullopt;  // EFAULT from the kernel, as natively
    addr = 0;
    std::memcpy(&addr, msghdr_.data() + at.name, p.pointer_size);
    std::uint32_t namelen;
    std::memcpy(&namelen, msghdr_.data() + at.namelen, sizeof namelen);
    len = namelen;
  }
  // sa_family (2 bytes), then at least one byte of path; the kernel reads at most
  // sizeof(struct sockaddr_un) bytes of an AF_UNIX address.
  if (addr == 0 || len <= 2) return std::nullopt;
  len = std::min<std::uint64_t>(len, 2 + path_max);
  std::array<char, 2 + path_max> raw;
  if (!io.read_bytes(tid, RemotePtr{addr}, std::span(raw.data(), len))) return std::nullopt;
  std::uint16_t family;
  std::memcpy(&family, raw.data(), sizeof family);
  if (family != af_unix || raw[2] == '\0') return std::nullopt;  // not AF_UNIX, or abstract
  std::string_view path(raw.data() + 2, len - 2);
  path = path.substr(0, path.find('\0'));
  std::copy(path.begin(), path.end(), buf.begin());
  buf[path.size()] = '\0';
  return StringRead{StringRead::Status::ok, path.size(), 0};
}

std::span<const char> UnixSocketPath::encode(const arch::Personality& p, rules::ArgBase base,
                                             std::string_view path, RegValue& length,
                                             PieceLink& link) {
  // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }: family, path, NUL.
  const std::uint16_t family = af_unix;
  std::memcpy(out_.data(), &family, sizeof family);
  std::copy(path.begin(), path.end(), out_.begin() + 2);
  out_[2 + path.size()] = '\0';
  // A path of exactly 108 bytes has no room for its NUL; the kernel ends it at the length.
  const std::size_t size = std::min(2 + path.size() + 1, 2 + path_max);
  length.value = size;
  if (base.kind == rules::ArgBase::Kind::sockaddr) return std::span(out_.data(), size);
  // sendmsg: the sockaddr, then a copy of the program's msghdr naming it.
  constexpr std::size_t hdr_at = 2 + path_max + 2;  // 112: 8-byte aligned
  std::copy(msghdr_.begin(), msghdr_.begin() + msghdr_size_, out_.begin() + hdr_at);
  const auto namelen = static_cast<std::uint32_t>(size);
  std::memcpy(out_.data() + hdr_at + p.msghdr_layout.namelen, &namelen, sizeof namelen);
  link.reg_offset = hdr_at;
  link.self_pointer_at = hdr_at + p.msghdr_layout.name;
  return std::span(out_.data(), hdr_at + msghdr_size_);
}

}  // namespace redirect::engine
