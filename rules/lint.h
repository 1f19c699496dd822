// Checks beyond what loading and compiling find: rules that can never decide. Used by
// `redirect lint`; a run does not need them (a dead rule is harmless, only useless).
#pragma once

#include <span>

#include "rules/diagnostic.h"
#include "rules/compiled_rules.h"

namespace redirect::rules {

/// Works on the rules as compiled once (compile_rules()): only adds warnings to `diags`:
/// - a rule shadowed by an earlier one (in load order, across files) that covers every
///   (syscall, argument) it applies to and matches everything it could match: an earlier
///   catch-all pattern, or the very same pattern;
/// - a rule that applies to no (syscall, argument) at all;
/// - a whole-call rule (a syscall without strings) whose pattern does not match "";
/// - a pattern that gives up on a long path (lint_match_limits()).
void lint_rules(const RuleSet& set, Diagnostics& diags);

/// Warns about a rule whose pattern can only match a relative string in a file that matches
/// paths as the absolute path they reach (`paths = "resolved"`, the default): it never matches
/// a path argument (only a symlink's target, which is matched as written). The warning names
/// the two fixes. Called by lint_rules() and by a run (once, when the rules load).
void lint_relative_patterns(std::span<const CompiledRule> rules, Diagnostics& diags);

/// Warns about a rewrite whose result the same or an earlier rule rewrites again (tried on one
/// example input built from the pattern's literal start; the warning gives it). Called by
/// lint_rules().
void lint_rematch(const RuleSet& set, Diagnostics& diags);

/// Warns about a pattern that exceeds PCRE2's match limit (Regex::match_limit) on a probe of
/// PATH_MAX - 1 bytes: the literal start of one of its top-level branches and a repeated filler
/// (the warning gives both). Called by lint_rules().
void lint_match_limits(const RuleSet& set, Diagnostics& diags);

}  // namespace redirect::rules
