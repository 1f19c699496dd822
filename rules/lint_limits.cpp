// lint: a pattern that gives up on a long path. A run fails such a call closed (Regex's match
// limit, docs/rules.md), so a pattern that gives up on ordinary long paths would deny them;
// lint tries each pattern on a few probe strings of PATH_MAX - 1 bytes, each the literal start
// of one top-level branch of the pattern followed by one filler repeated ('a', '/', "a/", '0'),
// which is what makes nested quantifiers such as '(a+)+b' or '(\w+/)*x' backtrack without end.
// Cheap: a pattern that does not backtrack rejects or accepts a probe in one pass.
#include <climits>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/compiled_rules.h"
#include "rules/lint.h"
#include "rules/regex.h"
#include "rules/rule_index.h"

namespace redirect::rules {
namespace {

// The top-level branches of `pattern` ("a|b(c|d)" -> "a", "b(c|d)"): split at '|' outside
// groups, character classes and escapes. Good enough for probes: a pattern it misreads only
// gets different probes.
std::vector<std::string_view> top_level_branches(std::string_view pattern) {
  std::vector<std::string_view> out;
  int depth = 0;
  bool in_class = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      out.push_back(pattern.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(pattern.substr(start));
  return out;
}

}  // namespace

void lint_match_limits(const RuleSet& set, Diagnostics& diags) {
  static constexpr std::string_view fillers[] = {"a", "/", "a/", "0"};
  for (const CompiledRule& c : set.rules) {
    if (!c.regex || !c.source) continue;
    const Rule& rule = *c.source;
    bool warned = false;
    for (std::string_view branch : top_level_branches(rule.match.value)) {
      const std::string prefix = literal_prefix(branch);
      for (std::string_view filler : fillers) {
        if (prefix.size() >= PATH_MAX - 1) break;
        std::string probe = prefix;
        while (probe.size() + filler.size() <= PATH_MAX - 1) probe += filler;
        if (c.regex->try_match(probe) != Regex::Outcome::error) continue;
        diags.warning(rule.path, rule.match.pos,
                      fmt::format("rule {}: its pattern gives up ({}) on a {}-byte path "
                                  "\"{}\" followed by \"{}\" repeated; a run fails such calls "
                                  "closed (EACCES, or the rule's errno). Avoid nested "
                                  "repetition such as (a+)+",
                                  rule_label(rule), c.regex->error_message(), probe.size(),
                                  prefix, filler));
        warned = true;
        break;
      }
      if (warned) break;
    }
  }
}

}  // namespace redirect::rules
