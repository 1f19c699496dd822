// RuleIndex (see rule_index.h). Finding the stored prefixes of a string: in a sorted list, the
// greatest entry <= the string is either a prefix of it or shares a shorter common prefix with
// it; either way the next candidate is <= a strictly shorter head of the string, so the walk
// takes one binary search per prefix found plus a few, and stops at the empty head.
#include "rules/rule_index.h"

#include <algorithm>

namespace redirect::rules {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether `pattern` has a '|' outside any group, or syntax the scan cannot follow. Character
// classes ([...], with a leading ']' and [:name:] inside) and escapes are skipped.
bool unsure_or_top_level_alternation(std::string_view p) {
  int depth = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size() && (p[i + 1] == 'Q' || p[i + 1] == 'E')) return true;
      ++i;
    } else if (c == '[') {
      std::size_t j = i + 1;
      if (j < p.size() && p[j] == '^') ++j;
      if (j < p.size() && p[j] == ']') ++j;
      for (; j < p.size() && p[j] != ']'; ++j) {
        if (p[j] == '\\') {
          ++j;
        } else if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
          std::size_t end = p.find(":]", j + 2);
          if (end == std::string_view::npos) return true;
          j = end + 1;
        }
      }
      if (j >= p.size()) return true;
      i = j;
    } else if (c == '(') {
      if (p.substr(i, 3) == "(?#") return true;  // a comment may hold anything
      if (p.substr(i, 2) == "(?") {              // (?x) makes '#' and spaces special
        for (std::size_t j = i + 2; j < p.size() && p[j] != ')' && p[j] != ':'; ++j)
          if (p[j] == 'x') return true;
      }
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string literal_prefix(std::string_view p) {
  if (p.empty() || p[0] != '^' || unsure_or_top_level_alternation(p)) return {};
  std::string prefix;
  for (std::size_t i = 1; i < p.size();) {
    char literal;
    std::size_t next;
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 >= p.size() || is_alnum(p[i + 1])) break;  // \d, \x{..}, \K...: stop
      literal = p[i + 1];
      next = i + 2;
    } else if (std::string_view("^$.[]|()?*+{}").find(c) != std::string_view::npos) {
      break;
    } else {
      literal = c;
      next = i + 1;
    }
    // A quantifier makes this character optional or repeated: the prefix ends before it.
    if (next < p.size() && std::string_view("?*+{").find(p[next]) != std::string_view::npos)
      break;
    prefix += literal;
    i = next;
  }
  return prefix;
}

RuleIndex::RuleIndex(std::span<const std::uint32_t> ids, std::span<const std::string> prefixes)
    : all_(ids.begin(), ids.end()) {
  std::vector<std::pair<std::string_view, std::uint32_t>> keyed;
  for (std::uint32_t id : ids) {
    if (prefixes[id].empty())
      unindexed_.push_back(id);
    else
      keyed.emplace_back(prefixes[id], id);
  }
  std::sort(keyed.begin(), keyed.end());  // by prefix, then id: ascending within a group
  for (const auto& [prefix, id] : keyed) {
    if (prefixes_.empty() || prefixes_.back() != prefix) {
      prefixes_.push_back(prefix);
      ranges_.push_back({static_cast<std::uint32_t>(ids_.size()), 0});
    }
    ids_.push_back(id);
    ++ranges_.back().count;
  }
}

std::size_t RuleIndex::matching_prefixes(std::string_view value, Range* out) const {
  std::size_t n = 0;
  std::string_view head = value;
  for (;;) {
    // The greatest stored prefix <= head.
    auto it = std::upper_bound(prefixes_.begin(), prefixes_.end(), head);
    if (it == prefixes_.begin()) return n;
    --it;
    const std::string_view p = *it;
    const std::size_t common =
        static_cast<std::size_t>(std::mismatch(p.begin(), p.end(), head.begin(), head.end()).first -
                                 p.begin());
    if (common == p.size()) {  // p starts value
      if (n == kMaxHits) return kMaxHits + 1;
      out[n++] = ranges_[static_cast<std::size_t>(it - prefixes_.begin())];
      if (common == 0) return n;
      head = value.substr(0, common - 1);
    } else {
      head = value.substr(0, common);
    }
    if (head.empty()) return n;
  }
}

}  // namespace redirect::rules
