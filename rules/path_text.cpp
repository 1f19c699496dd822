// Joining and collapsing path text (see path_text.h). One pass over the components, writing
// each kept one after a single '/'; no allocation.
#include "rules/path_text.h"

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
    for (char c : part) out[n++] = c;
  }
  return true;
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

std::optional<std::size_t> join_path(std::string_view dir, std::string_view rel,
                                     std::span<char> out) {
  if (out.size() < 2) return std::nullopt;
  std::size_t n = 0;
  if (!is_relative_path(rel)) dir = {};
  if (!append_components(dir, out, n) || !append_components(rel, out, n)) return std::nullopt;
  // A trailing '/' is part of the meaning ("must be a directory"); a trailing "/." is not kept.
  if (n == 0 || rel.ends_with('/')) {
    if (n + 2 > out.size()) return std::nullopt;
    out[n++] = '/';
  }
  out[n] = '\0';
  return n;
}

}  // namespace redirect::rules
