// Joining and collapsing path text (see path_text.h). One pass over the components, writing
// each kept one after a single '/'; no allocation.
#include "rules/path_text.h"

#include <cstring>

namespace redirect::rules {
namespace {

// Appends the components of `s` to out[0, n), skipping empty ones and ".". False on overflow
// (one byte is always left for the NUL).
bool append_components(std::string_view s, std::span<char> out, std::size_t& n) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == '/') ++i;
    std::size_t start = i;
    while (i < s.size() && s[i] != '/') ++i;
    std::string_view part = s.substr(start, i - start);
    if (part.empty() || part == ".") continue;
    if (n + 1 + part.size() + 1 > out.size()) return false;
    out[n++] = '/';
    std::memcpy(out.data() + n, part.data(), part.size());
    n += part.size();
  }
  return true;
}

// The end of a join: `rel`'s components after out[0, n), then the NUL.
std::optional<std::size_t> append_rel(std::string_view rel, std::span<char> out, std::size_t n) {
  if (!append_components(rel, out, n)) return std::nullopt;
  // A trailing '/' is part of the meaning ("must be a directory"); a trailing "/." is not kept.
  if (n == 0 || rel.ends_with('/')) {
    if (n + 2 > out.size()) return std::nullopt;
    out[n++] = '/';
  }
  out[n] = '\0';
  return n;
}

}  // namespace

bool needs_collapse(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '/') continue;
    if (s[i + 1] == '/') return true;
    if (s[i + 1] == '.' && (i + 2 == s.size() || s[i + 2] == '/')) return true;
  }
  return false;
}

bool is_clean_dir(std::string_view dir) {
  if (dir == "/") return true;
  if (dir.size() < 2 || dir.front() != '/' || dir.back() == '/') return false;
  // Each component starts after a '/': none may be empty, "." or "..".
  for (std::size_t i = 0; i < dir.size(); ++i) {
    if (dir[i] != '/') continue;
    const std::string_view rest = dir.substr(i + 1);
    if (rest.empty() || rest.front() == '/') return false;
    if (rest.front() == '.' && (rest.size() == 1 || rest[1] == '/')) return false;
    if (rest.starts_with("..") && (rest.size() == 2 || rest[2] == '/')) return false;
  }
  return true;
}

std::optional<std::size_t> join_path(std::string_view dir, std::string_view rel,
                                     std::span<char> out) {
  if (out.size() < 2) return std::nullopt;
  std::size_t n = 0;
  if (!is_relative_path(rel)) dir = {};
  if (!append_components(dir, out, n)) return std::nullopt;
  return append_rel(rel, out, n);
}

std::optional<std::size_t> join_to_clean_dir(std::string_view dir, std::string_view rel,
                                             std::span<char> out) {
  if (!is_relative_path(rel)) return join_path({}, rel, out);
  if (out.size() < 2) return std::nullopt;
  // "/" is written by the first component of `rel`, as join_path() writes it.
  std::size_t n = dir.size() == 1 ? 0 : dir.size();
  if (n + 1 > out.size()) return std::nullopt;
  std::memcpy(out.data(), dir.data(), n);
  return append_rel(rel, out, n);
}

}  // namespace redirect::rules
