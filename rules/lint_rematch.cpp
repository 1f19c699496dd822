// The lint check for rewrites whose result is rewritten again. A program that learns a
// rewritten path (getcwd after a redirected chdir, readlink, realpath, a path printed into a
// file) and passes it back gets it rewritten a second time when the result matches the same
// or an earlier rule: `^/tmp/(.*)` -> `/tmp/snap/$1` turns /tmp/snap/x into /tmp/snap/snap/x.
// Deciding this for every string a pattern matches is not possible in general; the check
// builds one example input from the pattern's literal prefix, rewrites it, and tries the result,
// which catches the prefix-inside-prefix mistake people actually make. The result is tried
// only against the rules whose literal prefix starts it (rule_index.h), so a generated file of
// 10,000 rules is checked in about the time it takes to load, not in n^2 regex matches.
#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "rules/lint.h"
#include "rules/regex.h"
#include "rules/replacement.h"
#include "rules/rule_index.h"
#include "rules/targets.h"

namespace redirect::rules {
namespace {

bool share_a_target(const std::vector<Target>& a, const std::vector<Target>& b) {
  for (const Target& t : a)
    if (std::binary_search(b.begin(), b.end(), t)) return true;
  return false;
}

// `rule`'s result for `input`, when its pattern matches it.
std::optional<std::string> rewrite(const CompiledRule& c, std::string_view input) {
  if (!c.replacement || !c.regex->match(input)) return std::nullopt;
  std::array<char, PATH_MAX> out;
  auto n = c.replacement->expand(*c.regex, input, out);
  if (!n) return std::nullopt;
  return std::string(out.data(), *n);
}

}  // namespace

void lint_rematch(const RuleSet& set, Diagnostics& diags) {
  const std::vector<CompiledRule>& rules = set.rules;
  const std::vector<std::string>& prefixes = set.prefixes;
  std::vector<std::uint32_t> ids(rules.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  const RuleIndex index(ids, prefixes);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const CompiledRule& r = rules[i];
    if (!r.replacement) continue;
    const std::string& start = prefixes[i];
    std::optional<std::string> input, output;
    for (const std::string& candidate : {start + "x", start + "/x", start + "x/y", start}) {
      if ((output = rewrite(r, candidate))) {
        input = candidate;
        break;
      }
    }
    if (!output || *output == *input) continue;
    // The first rule, up to this one, that would rewrite the result again.
    std::optional<std::string> twice;
    std::size_t j = 0;
    index.find_first(*output, [&](std::uint32_t id) {
      if (id > i) return true;  // later rules: not the concern of this check
      if (!share_a_target(*r.targets, *rules[id].targets)) return false;
      twice = rewrite(rules[id], *output);
      if (!twice || *twice == *output) {
        twice.reset();
        return false;
      }
      j = id;
      return true;
    });
    if (twice) {
      const CompiledRule& again = rules[j];
      diags.warning(
          r.source->path, r.source->replace->pos,
          fmt::format("the result of rule {} is rewritten again by {}: {:?} becomes {:?}, and a "
                      "program that passes that path back (after getcwd, readlink or realpath) "
                      "gets {:?}",
                      rule_label(*r.source),
                      j == i ? std::string("itself")
                             : fmt::format("rule {} ({}:{})", rule_label(*again.source),
                                           again.source->path, again.source->pos.line),
                      *input, *output, *twice));
    }
  }
}

}  // namespace redirect::rules
