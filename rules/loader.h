// Rule files -> RuleFile values. Parses TOML with toml++, checks keys, types and values, and
// expands @{NAME} / @{NAME:-default} from the environment (literally in `replace`, quoted so it
// matches literally in `match`). Every problem becomes a Diagnostic with the file, line and
// column of the offending value; toml++ types never leave loader.cpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/env_expand.h"
#include "rules/rule.h"

namespace redirect::rules {

/// Parses `text`, the content of the file called `path`. Problems go to `diags`; a rule with an
/// error is kept with Rule::broken set (so lint can go on checking its other parts). `unset`
/// says what an unset @{VAR} without a default becomes (env_expand.h). A NUL byte in `match` or
/// `replace` is an error (a path ends at its first NUL, so the kernel would see a shorter, other
/// path); any other control byte in `replace` is a warning.
[[nodiscard]] RuleFile parse_rules(std::string_view path, std::string_view text,
                                   const EnvLookup& env, Diagnostics& diags,
                                   UnsetVariables unset = UnsetVariables::error);

/// Reads `path` and parses it. A file that cannot be read is an error diagnostic naming the
/// file and errno's text, and an empty RuleFile.
[[nodiscard]] RuleFile load_rule_file(const std::string& path, const EnvLookup& env,
                                      Diagnostics& diags,
                                      UnsetVariables unset = UnsetVariables::error);

}  // namespace redirect::rules
