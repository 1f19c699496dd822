// Loading the rule files named on a command line and reporting their diagnostics: shared by
// run, lint and explain so that all three see the same rules and print problems the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/env_expand.h"
#include "rules/rule.h"

namespace redirect::cli {

/// Reads and parses every file in order, with @{VAR}s from `env` (the process environment by
/// default). Problems go to `diags` (the files that failed to parse still appear, with the rules
/// that loaded).
[[nodiscard]] std::vector<rules::RuleFile> load_rule_files(
    const std::vector<std::string>& paths, rules::Diagnostics& diags,
    const rules::EnvLookup& env = rules::process_env(),
    rules::UnsetVariables unset = rules::UnsetVariables::error);

/// Prints `diags` on stderr, one "FILE:LINE:COL: severity: message" line each, sorted by file
/// (in the order of `files`) then position, each followed by its source line and a caret.
void print_diagnostics(const rules::Diagnostics& diags,
                       const std::vector<rules::RuleFile>& files);

/// The one of `rule_paths` that names the same file as `path` (the same inode, or the same
/// absolute path when it does not exist yet), or nullopt: an output file that is a rule file
/// is refused, so that no log or report can destroy the rules it was made with.
[[nodiscard]] std::optional<std::string> rule_file_among(const std::string& path,
                                                         const std::vector<std::string>& rule_paths);

/// The same diagnostics in that order, for JSON output.
[[nodiscard]] std::vector<rules::Diagnostic> sorted_diagnostics(
    const rules::Diagnostics& diags, const std::vector<rules::RuleFile>& files);

}  // namespace redirect::cli
