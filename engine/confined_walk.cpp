// walk_is_confined() (see confined_walk.h).
#include "engine/confined_walk.h"

#include <array>
#include <cstring>

#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// struct open_how { __u64 flags, mode, resolve; }: the same layout on every ABI.
constexpr std::size_t how_resolve_at = 16;
constexpr std::uint64_t resolve_beneath = 0x08, resolve_in_root = 0x10;

}  // namespace

bool walk_is_confined(TraceeIo& io, pid_t tid, const SyscallEntry& e) {
  auto openat2 = rules::syscall_number(rules::Sys::openat2, e.audit_arch);
  if (!openat2 || *openat2 != e.nr || e.args[3] < how_resolve_at + 8) return false;
  std::array<char, 8> raw;
  if (!io.read_bytes(tid, RemotePtr{e.args[2] + how_resolve_at}, raw)) return false;
  std::uint64_t resolve;
  std::memcpy(&resolve, raw.data(), sizeof resolve);
  return (resolve & (resolve_beneath | resolve_in_root)) != 0;
}

}  // namespace redirect::engine
