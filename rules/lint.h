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
/// - a whole-call rule (a syscall without strings) whose pattern does not match "".
void lint_rules(const RuleSet& set, Diagnostics& diags);

/// Warns about a rewrite whose result the same or an earlier rule rewrites again (tried on one
/// example input built from the pattern's literal start; the warning gives it). Called by
/// lint_rules().
void lint_rematch(const RuleSet& set, Diagnostics& diags);

}  // namespace redirect::rules
