// A rule of the shape `redirect trace --suggest` writes, ^PREFIX(/.*)?$ -> REPLACEMENT$1, moves a
// whole tree: PREFIX and every path below it go to REPLACEMENT and the same tail. Such a rule
// can be read backwards, which no other rule can: a directory inside REPLACEMENT is PREFIX/TAIL
// in the program's view. That is how a working directory or dirfd that a redirected chdir or
// open left inside the bundle is named before relative paths are matched (program_view.h), and
// how getcwd can give the program back the path it asked for.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::rules {

struct CompiledRule;

/// The two literal ends of a prefix rule.
struct PrefixMap {
  std::string prefix;       ///< absolute, no trailing '/'
  std::string replacement;  ///< absolute, no trailing '/'
  friend bool operator==(const PrefixMap&, const PrefixMap&) = default;
};

/// The map `pattern` -> `replacement` is, when it has the prefix shape: the pattern is '^', a
/// literal absolute path (escapes of punctuation allowed; an unescaped '.' is read as itself,
/// as in an expanded @{HOME} such as /home/a.b, which is harmless because every backward
/// reading is checked forwards), then `(/.*)?$`; the replacement is a literal ('$$' for '$')
/// followed by `$1` or `${1}`. Nullopt for every other rule.
[[nodiscard]] std::optional<PrefixMap> prefix_map_of(std::string_view pattern,
                                                     std::string_view replacement);

/// The prefix rules of a rule set, by replacement, for reading a host directory backwards.
class ReverseIndex {
 public:
  /// Which prefix rules: those of resolved files (directories of relative names), or those of
  /// files that want getcwd in the program's view.
  enum class Use : std::uint8_t { directories, getcwd };
  ReverseIndex() = default;
  explicit ReverseIndex(std::span<const CompiledRule> rules, Use use = Use::directories);

  [[nodiscard]] bool empty() const { return entries_.empty(); }

  /// For each prefix rule whose replacement is `host_dir` or one of its ancestors, deepest
  /// replacement first, writes PREFIX + the rest of `host_dir` into `out` (NUL after it) and
  /// calls `accept(view)`; stops at the first view accepted and returns its length. Nullopt
  /// when no rule's replacement contains `host_dir`, none is accepted, or the view does not
  /// fit in `out`. Allocates nothing.
  template <class F>
  std::optional<std::size_t> to_view(std::string_view host_dir, std::span<char> out,
                                     F&& accept) const;

 private:
  struct Entry {
    std::string replacement, prefix;
    std::size_t rule_id;
  };
  // Sorted by replacement, then rule id: every replacement that is an ancestor of a directory
  // is found by one binary search per '/' of the directory.
  std::vector<Entry> entries_;
};

/// Whether some rule of `rules` has getcwd read back (a prefix rule of a file that does not say
/// getcwd = "bundle"): then getcwd must be trapped.
[[nodiscard]] bool reads_getcwd_back(std::span<const CompiledRule> rules);

template <class F>
std::optional<std::size_t> ReverseIndex::to_view(std::string_view host_dir, std::span<char> out,
                                                 F&& accept) const {
  if (entries_.empty() || host_dir.empty() || host_dir.front() != '/') return std::nullopt;
  // Candidate roots: host_dir itself, then each ancestor up to (not including) "/".
  for (std::size_t end = host_dir.size(); end > 0; end = host_dir.rfind('/', end - 1)) {
    std::string_view root = host_dir.substr(0, end);
    auto lo = std::lower_bound(entries_.begin(), entries_.end(), root,
                               [](const Entry& e, std::string_view r) { return e.replacement.compare(r) < 0; });
    for (auto it = lo; it != entries_.end() && it->replacement == root; ++it) {
      std::string_view tail = host_dir.substr(end);
      if (it->prefix.size() + tail.size() + 1 > out.size()) continue;
      std::copy(it->prefix.begin(), it->prefix.end(), out.begin());
      std::copy(tail.begin(), tail.end(), out.begin() + static_cast<std::ptrdiff_t>(it->prefix.size()));
      const std::size_t n = it->prefix.size() + tail.size();
      out[n] = '\0';
      if (accept(std::string_view(out.data(), n))) return n;
    }
  }
  return std::nullopt;
}

}  // namespace redirect::rules
