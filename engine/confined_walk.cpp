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

std::optional<std::string_view> below_directory(std::string_view dir, std::string_view path) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir.empty()) return std::nullopt;
  const std::size_t skip = dir == "/" ? 1 : dir.size() + 1;
  if (path.size() <= skip || !path.starts_with(dir) || path[skip - 1] != '/') return std::nullopt;
  return path.substr(skip);
}

bool keep_below_dirfd(std::string_view dir, rules::Decision& d, std::span<char> out) {
  std::optional<std::string_view> below = below_directory(dir, d.replacement);
  if (!below) return false;
  if (below->size() != 0) std::memmove(out.data(), below->data(), below->size());
  out[below->size()] = '\0';
  d.replacement = std::string_view(out.data(), below->size());
  return true;
}

}  // namespace redirect::engine
