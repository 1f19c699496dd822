// lint_relative_patterns() (see lint.h). The natural first rule, match = '^TWO\.txt$', passed
// lint and never matched: by default rules see the absolute path a relative name reaches.
// PCRE2's own analysis of the compiled pattern (anchored, first byte) says which patterns can
// only match a relative string; a pattern it cannot judge is left alone.
#include <fmt/format.h>

#include <algorithm>

#include "rules/lint.h"
#include "rules/regex.h"
#include "rules/syscall_table.h"
#include "rules/targets.h"

namespace redirect::rules {
namespace {

// Some target of the rule is a path the kernel resolves (not a symlink's target).
bool has_resolved_path(const std::vector<Target>& targets) {
  return std::ranges::any_of(targets, [](const Target& t) {
    if (t.arg == kWholeCall) return false;
    const SyscallInfo& info = syscall_info(t.sys);
    return (info.paths & (1u << t.arg)) && info.bases.of(t.arg).kind != PathBase::Kind::link;
  });
}

// '^X' -> '^(.*/)?X': the same names in any directory.
std::string any_directory(std::string_view pattern) {
  if (pattern.starts_with('^')) pattern.remove_prefix(1);
  return fmt::format("^(.*/)?{}", pattern);
}

}  // namespace

void lint_relative_patterns(std::span<const CompiledRule> rules, Diagnostics& diags) {
  for (const CompiledRule& c : rules) {
    if (!c.resolved || c.regex->may_match_absolute() || !has_resolved_path(*c.targets)) continue;
    const Rule& rule = *c.source;
    diags.warning(rule.path, rule.match.pos,
                  fmt::format("rule {} can only match a relative string, but this file's "
                              "rules see a relative path as the absolute path it reaches "
                              "(paths = \"resolved\", the default), so it never matches a "
                              "path; write paths = \"as-passed\" at the top of the file, or a "
                              "pattern such as '{}'",
                              rule_label(rule), any_directory(rule.match.value)));
  }
}

}  // namespace redirect::rules
