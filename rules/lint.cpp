// Dead-rule detection. The check is deliberately conservative: it warns only when an earlier
// rule provably decides first, i.e. its targets are a superset and its pattern matches every
// string (or is textually the same pattern). Deciding pattern inclusion in general is not
// worth it; the obvious cases are what people write by mistake (a catch-all placed first).
#include "rules/lint.h"

#include <algorithm>
#include <deque>
#include <fmt/format.h>
#include <string_view>
#include <unordered_map>

#include "rules/regex.h"
#include "rules/targets.h"

namespace redirect::rules {

namespace {

// True when `pattern` matches every string (".*", "^", "", "x*"...): it matches a set of probes
// that no useful path pattern matches all of.
bool is_catch_all(const Regex& regex) {
  // Paths a real rule tells apart: empty, root, relative, absolute, odd bytes. A newline is
  // left out on purpose: '^(.*)$' does not match "a\nb" in PCRE2, yet it is the catch-all
  // people write, and paths with newlines are not what a packager's rules are about.
  static constexpr std::string_view probes[] = {
      "", "/", "a", "relative/path", "/etc/hello/hello.conf", "/\xff\xfe/x", "$HOME",
  };
  return std::all_of(std::begin(probes), std::end(probes),
                     [&](std::string_view p) { return regex.match(p); });
}

struct Seen {
  const Rule* rule;
  const std::vector<Target>* targets;
  bool catch_all;
  std::size_t order;  // position in load order
};

bool covers(const std::vector<Target>& big, const std::vector<Target>& small) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

// A rule that applies to nothing, or a whole-call rule whose pattern never matches "": true
// when it was said (the rule then takes no further part).
bool warn_useless(const CompiledRule& c, Diagnostics& diags) {
  const Rule& rule = *c.source;
  if (c.targets->empty() && c.targets_ok) {
    diags.warning(rule.path, rule.pos,
                  fmt::format("rule {} applies to no string argument of any syscall",
                              rule_label(rule)));
    return true;
  }
  bool whole_call = std::any_of(c.targets->begin(), c.targets->end(),
                                [](const Target& t) { return t.arg == kWholeCall; });
  if (whole_call && !c.regex->match("")) {
    diags.warning(rule.path, rule.match.pos,
                  fmt::format("rule {} names a syscall without strings, where the pattern "
                              "is matched against \"\"; this pattern never matches it "
                              "(write match = '')",
                              rule_label(rule)));
  }
  return false;
}

}  // namespace

void lint_rules(const RuleSet& set, Diagnostics& diags) {
  // Only an earlier catch-all or an earlier rule with the same pattern can shadow a rule, so
  // each rule is compared with those alone, not with every earlier rule: linear in the file
  // for generated rule files (distinct patterns, no catch-all).
  std::deque<Seen> earlier;  // stable addresses
  std::vector<const Seen*> catch_alls;
  std::unordered_map<std::string_view, std::vector<const Seen*>> by_pattern;
  for (const CompiledRule& c : set.rules) {
    const Rule& rule = *c.source;
    if (warn_useless(c, diags)) continue;
    // The first shadowing rule in load order, among the catch-alls and the same patterns.
    const Seen* shadow = nullptr;
    auto consider = [&](const Seen* e) {
      if ((shadow == nullptr || e->order < shadow->order) && covers(*e->targets, *c.targets))
        shadow = e;
    };
    for (const Seen* e : catch_alls) consider(e);
    if (auto it = by_pattern.find(rule.match.value); it != by_pattern.end())
      for (const Seen* e : it->second) consider(e);
    if (shadow != nullptr) {
      bool same_pattern = shadow->rule->match.value == rule.match.value;
      diags.warning(rule.path, rule.pos,
                    fmt::format("rule {} never decides: rule {} ({}:{}) comes first and {}",
                                rule_label(rule), rule_label(*shadow->rule), shadow->rule->path,
                                shadow->rule->pos.line,
                                same_pattern ? "has the same pattern" : "matches every string"));
    }
    const Seen& seen = earlier.emplace_back(
        Seen{&rule, c.targets.get(), is_catch_all(*c.regex), earlier.size()});
    if (seen.catch_all) catch_alls.push_back(&seen);
    by_pattern[rule.match.value].push_back(&seen);
  }
  lint_rematch(set, diags);
}

}  // namespace redirect::rules
