// compile_rules (see compiled_rules.h). Cost: one PCRE2 compile (and JIT) per rule, one
// target list per distinct `syscalls` spelling.
#include "rules/compiled_rules.h"

#include <cerrno>

#include <fmt/format.h>

#include "rules/regex.h"
#include "rules/rule_index.h"

namespace redirect::rules {

CompiledRule::CompiledRule() = default;
CompiledRule::CompiledRule(CompiledRule&&) noexcept = default;
CompiledRule& CompiledRule::operator=(CompiledRule&&) noexcept = default;
CompiledRule::~CompiledRule() = default;

std::string CompiledRule::match_error_message() const {
  return regex ? regex->error_message() : std::string();
}

int CompiledRule::expand(std::string_view value, std::span<char> out, std::string_view& result,
                         MatchState* state) const {
  if (!replacement) return EINVAL;  // not a rewrite rule: a bug of the caller, not a guess
  std::optional<std::size_t> n = replacement->expand(*regex, value, out, state);
  if (!n) return ENAMETOOLONG;
  result = std::string_view(out.data(), *n);
  // The loader refuses a NUL in `replace` and a capture cannot hold one (the path was read up
  // to its NUL), so this never happens; if it did, the kernel would see only the part before
  // the NUL, another path. The call fails instead.
  if (result.find('\0') != std::string_view::npos) {
    result = {};
    return EINVAL;
  }
  return 0;
}

namespace {

// The pattern and (for a rewrite) the parsed replacement of one rule, or nothing after
// reporting why at the exact column.
struct Compiled {
  std::unique_ptr<Regex> regex;
  std::optional<Replacement> replacement;
};

std::optional<Compiled> compile_pattern(const Rule& rule, Diagnostics& diags) {
  if (!rule.match_ok) return std::nullopt;  // the loader reported why
  Regex::Error error;
  auto regex = Regex::compile(rule.match.value, error);
  if (!regex) {
    diags.error(rule.path, rule.match.at(error.offset),
                fmt::format("invalid pattern in rule {}: {}", rule_label(rule), error.message));
    return std::nullopt;
  }
  Compiled out;
  if (rule.action.value == Action::rewrite && rule.replace && rule.replace_ok) {
    out.replacement = Replacement::parse(*regex, rule.replace->value, error);
    if (!out.replacement) {
      diags.error(rule.path, rule.replace->at(error.offset),
                  fmt::format("invalid replacement in rule {}: {}", rule_label(rule),
                              error.message));
      return std::nullopt;
    }
  }
  out.regex = std::make_unique<Regex>(std::move(*regex));
  return out;
}

// Whether two rules spell their `syscalls` and `args` the same way.
bool same_targets_spec(const Rule& a, const Rule& b) {
  auto values = [](const auto& list) {
    std::vector<decltype(list.front().value)> out;
    for (const auto& x : list) out.push_back(x.value);
    return out;
  };
  if (a.syscalls.size() != b.syscalls.size() || a.args.has_value() != b.args.has_value())
    return false;
  if (values(a.syscalls) != values(b.syscalls)) return false;
  return !a.args || values(*a.args) == values(*b.args);
}

// The targets of `rule`, shared with `last` when it spelt them the same way and had no
// problem; problems are reported into `diags`. `ok`: this rule's had none.
std::shared_ptr<const std::vector<Target>> targets_of(
    const Rule& rule, const Rule* last_rule,
    std::shared_ptr<const std::vector<Target>>& last_targets, Diagnostics& diags, bool& ok) {
  if (last_rule != nullptr && last_targets && same_targets_spec(*last_rule, rule)) {
    ok = true;
    return last_targets;
  }
  Diagnostics local;
  auto targets = std::make_shared<const std::vector<Target>>(rule_targets(rule, local));
  for (const Diagnostic& d : local.all()) diags.add(d);
  ok = local.empty();
  last_targets = ok ? targets : nullptr;
  return targets;
}

}  // namespace

RuleSet compile_rules(std::span<const RuleFile> files, Diagnostics& diags) {
  RuleSet set;
  const Rule* last_rule = nullptr;
  std::shared_ptr<const std::vector<Target>> last_targets;
  for (const RuleFile& file : files) {
    for (const Rule& rule : file.rules) {
      CompiledRule compiled;
      compiled.targets = targets_of(rule, last_rule, last_targets, diags, compiled.targets_ok);
      last_rule = &rule;
      std::optional<Compiled> pattern = compile_pattern(rule, diags);
      if (!pattern || rule.broken) continue;  // reported; still checked above for lint's sake
      compiled.id = set.rules.size();
      compiled.name = rule.name.value;
      compiled.label = rule_label(rule);
      compiled.path = rule.path;
      compiled.pos = rule.pos;
      compiled.action = rule.action.value;
      compiled.errno_value = rule.errno_value;
      compiled.resolved = file.paths == PathMode::resolved;
      compiled.getcwd_view = file.getcwd == GetcwdMode::program;
      compiled.source = &rule;
      // Parsed now, once: a rewrite at a stop only copies (replacement.h).
      compiled.replacement = std::move(pattern->replacement);
      if (compiled.replacement)
        compiled.prefix_map = prefix_map_of(rule.match.value, compiled.replacement->text());
      compiled.regex = std::move(pattern->regex);
      set.prefixes.push_back(literal_prefix(rule.match.value));
      set.rules.push_back(std::move(compiled));
    }
  }
  return set;
}

}  // namespace redirect::rules
