// The lint check for rewrites whose result is rewritten again. A program that learns a
// rewritten path (getcwd after a redirected chdir, readlink, realpath, a path printed into a
// file) and passes it back gets it rewritten a second time when the result matches the same
// or an earlier rule: `^/tmp/(.*)` -> `/tmp/snap/$1` turns /tmp/snap/x into /tmp/snap/snap/x.
// Deciding this for every string a pattern matches is not possible in general; the check
// builds one example input from the pattern's literal start, rewrites it, and tries the result,
// which catches the prefix-inside-prefix mistake people actually make.
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
#include "rules/targets.h"

namespace redirect::rules {
namespace {

// The literal text a pattern starts with after '^' ("/tmp/" for '^/tmp/(.*)'): escaped
// punctuation is literal, anything else special ends it.
std::string literal_start(std::string_view pattern) {
  std::string out;
  std::size_t i = pattern.starts_with('^') ? 1 : 0;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && !std::isalnum(static_cast<unsigned char>(pattern[i + 1]))) {
      out += pattern[++i];
      continue;
    }
    if (std::string_view("\\.[](){}*+?|$^").find(c) != std::string_view::npos) break;
    out += c;
  }
  // A quantifier applies to the character before it: that one is not certain.
  if (i < pattern.size() && std::string_view("*?{").find(pattern[i]) != std::string_view::npos &&
      !out.empty())
    out.pop_back();
  return out;
}

struct Compiled {
  const Rule* rule;
  std::vector<Target> targets;
  std::optional<Regex> regex;
  std::optional<Replacement> replacement;  // rewrite rules only
};

bool share_a_target(const std::vector<Target>& a, const std::vector<Target>& b) {
  for (const Target& t : a)
    if (std::binary_search(b.begin(), b.end(), t)) return true;
  return false;
}

// `rule`'s result for `input`, when its pattern matches it.
std::optional<std::string> rewrite(const Compiled& c, std::string_view input) {
  if (!c.replacement || !c.regex->match(input)) return std::nullopt;
  std::array<char, PATH_MAX> out;
  auto n = c.replacement->expand(*c.regex, input, out);
  if (!n) return std::nullopt;
  return std::string(out.data(), *n);
}

}  // namespace

void lint_rematch(std::span<const RuleFile> files, Diagnostics& diags) {
  std::vector<Compiled> rules;
  for (const RuleFile& file : files) {
    for (const Rule& rule : file.rules) {
      if (rule.broken || !rule.match_ok) continue;
      Regex::Error error;
      Compiled c{&rule, {}, Regex::compile(rule.match.value, error), {}};
      if (!c.regex) continue;  // the Matcher reported it
      Diagnostics ignored;
      c.targets = rule_targets(rule, ignored);
      if (rule.action.value == Action::rewrite && rule.replace && rule.replace_ok)
        c.replacement = Replacement::parse(*c.regex, rule.replace->value, error);
      rules.push_back(std::move(c));
    }
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Compiled& r = rules[i];
    if (!r.replacement) continue;
    const std::string start = literal_start(r.rule->match.value);
    std::optional<std::string> input, output;
    for (const std::string& candidate : {start + "x", start + "/x", start + "x/y", start}) {
      if ((output = rewrite(r, candidate))) {
        input = candidate;
        break;
      }
    }
    if (!output || *output == *input) continue;
    for (std::size_t j = 0; j <= i; ++j) {
      const Compiled& again = rules[j];
      if (!share_a_target(r.targets, again.targets)) continue;
      std::optional<std::string> twice = rewrite(again, *output);
      if (!twice || *twice == *output) continue;
      diags.warning(
          r.rule->path, r.rule->replace->pos,
          fmt::format("the result of rule {} is rewritten again by {}: {:?} becomes {:?}, and a "
                      "program that passes that path back (after getcwd, readlink or realpath) "
                      "gets {:?}",
                      rule_label(*r.rule),
                      j == i ? std::string("itself")
                             : fmt::format("rule {} ({}:{})", rule_label(*again.rule),
                                           again.rule->path, again.rule->pos.line),
                      *input, *output, *twice));
      break;
    }
  }
}

}  // namespace redirect::rules
