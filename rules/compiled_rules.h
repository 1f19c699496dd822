// Every rule of a set of rule files compiled once, in load order: its pattern (JIT-compiled),
// its parsed replacement, the (syscall, argument) pairs it applies to, and its literal prefix.
// A run builds one Matcher per ABI from it, and `lint` checks it, so neither compiles a pattern
// or works out targets a second time. The surprise: generated rule files give thousands of
// rules the same `syscalls`, so a rule's targets are shared with the rule before it when both
// spell them the same way (a problem is reported at each rule's own position, so rules with
// problems are worked out one by one).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/prefix_map.h"
#include "rules/replacement.h"
#include "rules/rule.h"
#include "rules/targets.h"

namespace redirect::rules {

class Regex;
class MatchState;

/// One rule after compilation, shared by every (syscall, arg) slot that names it.
struct CompiledRule {
  std::size_t id = 0;  // index in RuleSet::rules: across all files, in load order
  std::string name;
  std::string label;  // rule_label(): "'config'", or "3" for an unnamed third rule
  std::string path;  // rule file
  SourcePos pos;     // its [[rule]] header
  Action action = Action::rewrite;
  int errno_value = 0;
  /// Its file says `paths = "resolved"`: a relative argument is matched as the absolute path
  /// the kernel will reach, else as passed.
  bool resolved = true;
  std::unique_ptr<Regex> regex;
  std::optional<Replacement> replacement;  // rewrite only; parsed for `regex`
  const Rule* source = nullptr;            // as loaded: its match text and positions
  /// A rewrite of the shape ^PREFIX(/.*)?$ -> REPLACEMENT$1 (prefix_map.h): readable backwards.
  std::optional<PrefixMap> prefix_map;
  /// Its file says `getcwd = "program"` (the default): getcwd reads a directory inside a prefix
  /// rule's replacement back to the prefix.
  bool getcwd_view = true;
  /// The (syscall, argument) pairs it applies to, sorted (shared between rules that name the
  /// same syscalls); `targets_ok`: working them out found no problem in the rule.
  std::shared_ptr<const std::vector<Target>> targets;
  bool targets_ok = true;

  /// After regex->match(value): writes the rewrite of `value` into `out` and points `result`
  /// at it (NUL-terminated in `out`). Returns 0, ENAMETOOLONG when it does not fit, or EINVAL
  /// when it would contain a NUL (the kernel would see a shorter, different path) or the rule
  /// is not a rewrite; `result` is then empty. `state`: the one the match ran in (null: the
  /// pattern's own).
  [[nodiscard]] int expand(std::string_view value, std::span<char> out, std::string_view& result,
                           MatchState* state = nullptr) const;
  /// Why its pattern's last match gave up (PCRE2's message, "match limit exceeded"); "" when
  /// the last match decided. See Decision::match_error.
  [[nodiscard]] std::string match_error_message() const;
  CompiledRule();
  CompiledRule(CompiledRule&&) noexcept;
  CompiledRule& operator=(CompiledRule&&) noexcept;
  ~CompiledRule();
};

/// The compiled rules of a set of files (by id).
struct RuleSet {
  std::vector<CompiledRule> rules;
  std::vector<std::string> prefixes;  ///< by id: literal_prefix() of its pattern (rule_index.h)
};

/// Compiles every rule of `files` that the loader did not find broken. Invalid patterns and
/// replacements, unknown syscalls or classes and bad `args` are reported into `diags` at their
/// position; a rule whose pattern or replacement is invalid is left out, the others are all
/// there even when some file has errors (lint checks them all in one run).
[[nodiscard]] RuleSet compile_rules(std::span<const RuleFile> files, Diagnostics& diags);

}  // namespace redirect::rules
