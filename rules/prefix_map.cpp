// Recognising prefix rules and reading them backwards (see prefix_map.h).
#include "rules/prefix_map.h"

#include "rules/matcher.h"

namespace redirect::rules {
namespace {

constexpr std::string_view kTreeTail = "(/.*)?$";

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The literal text `body` of a pattern stands for, or nullopt when it holds any other syntax.
std::optional<std::string> pattern_literal(std::string_view body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\\') {
      if (i + 1 == body.size() || is_ascii_alnum(body[i + 1])) return std::nullopt;
      out += body[++i];
    } else if (std::string_view("^$|()[]{}?*+").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      out += c;  // '.' included: see prefix_map.h
    }
  }
  return out;
}

// The literal text of a replacement before its trailing `$1` / `${1}`, or nullopt.
std::optional<std::string> replacement_literal(std::string_view text) {
  if (text.ends_with("${1}"))
    text.remove_suffix(4);
  else if (text.ends_with("$1") && !(text.size() >= 3 && text[text.size() - 3] == '$'))
    text.remove_suffix(2);
  else
    return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') {
      out += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '$') {
      out += '$';
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool is_tree_root(std::string_view p) { return p.size() > 1 && p.front() == '/' && p.back() != '/'; }

}  // namespace

std::optional<PrefixMap> prefix_map_of(std::string_view pattern, std::string_view replacement) {
  if (!pattern.starts_with('^') || !pattern.ends_with(kTreeTail)) return std::nullopt;
  auto prefix = pattern_literal(pattern.substr(1, pattern.size() - 1 - kTreeTail.size()));
  auto repl = replacement_literal(replacement);
  if (!prefix || !repl || !is_tree_root(*prefix) || !is_tree_root(*repl)) return std::nullopt;
  return PrefixMap{std::move(*prefix), std::move(*repl)};
}

ReverseIndex::ReverseIndex(std::span<const CompiledRule> rules, Use use) {
  for (const CompiledRule& r : rules)
    if (r.prefix_map && (use == Use::directories ? r.resolved : r.getcwd_view))
      entries_.push_back({r.prefix_map->replacement, r.prefix_map->prefix, r.id});
  std::ranges::sort(entries_, [](const Entry& a, const Entry& b) {
    return a.replacement != b.replacement ? a.replacement < b.replacement : a.rule_id < b.rule_id;
  });
}

}  // namespace redirect::rules

namespace redirect::rules {

bool reads_getcwd_back(std::span<const CompiledRule> rules) {
  return std::ranges::any_of(rules,
                             [](const CompiledRule& r) { return r.prefix_map && r.getcwd_view; });
}

}  // namespace redirect::rules
