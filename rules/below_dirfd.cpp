// below_directory, keep_below_dirfd (see below_dirfd.h).
#include "rules/below_dirfd.h"

#include <cstring>

namespace redirect::rules {

std::optional<std::string_view> below_directory(std::string_view dir, std::string_view path) {
  while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
  if (dir.empty()) return std::nullopt;
  const std::size_t skip = dir == "/" ? 1 : dir.size() + 1;
  if (path.size() <= skip || !path.starts_with(dir) || path[skip - 1] != '/') return std::nullopt;
  return path.substr(skip);
}

bool keep_below_dirfd(std::string_view dir, Decision& d, std::span<char> out) {
  std::optional<std::string_view> below = below_directory(dir, d.replacement);
  if (!below) return false;
  if (below->size() != 0) std::memmove(out.data(), below->data(), below->size());
  out[below->size()] = '\0';
  d.replacement = std::string_view(out.data(), below->size());
  return true;
}

}  // namespace redirect::rules
