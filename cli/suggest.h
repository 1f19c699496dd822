// `redirect trace --suggest ROOT`: turn what a traced run looked up and wrote into a rule file
// that makes the program find its files in a bundle. Paths it failed to find, or read from
// the host, that exist under ROOT (or whose directory does) are mapped into `@{VAR}` by the
// deepest directory that covers them and is specific to the app (never /usr/share or /etc
// itself: a rule for those would hide the host's files from the program); writes under $HOME
// and /var/lib/NAME go to @{SNAP_USER_DATA} and @{SNAP_DATA}. Pure code: the file system is
// asked through `exists`, so the choices are unit-tested.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "cli/trace_report.h"

namespace redirect::cli {

struct SuggestOptions {
  std::string root;         ///< the bundle's root, absolute, without a trailing '/'
  std::string var = "SNAP"; ///< the variable that names ROOT at run time
  std::string home;         ///< $HOME at trace time ("" = none)
  std::string command;      ///< the traced command line, for the file's header
};

/// The rule file (TOML text, ending in a newline) for `looked_up` and `written` (see
/// TraceReport). `exists(path)` says whether a file or directory exists. Rules come deepest
/// first, so the first match is the right one; each has a comment with its evidence. A file
/// with no rule at all says why in its comments. Each replacement names `@{VAR:-ROOT}`, so
/// the file works as written and in a bundle where VAR is set.
[[nodiscard]] std::string suggest_rules(const std::map<std::string, PathFacts>& looked_up,
                                        const std::map<std::string, PathFacts>& written,
                                        const SuggestOptions& options,
                                        const std::function<bool(const std::string&)>& exists);

/// `text` as a PCRE2 pattern that matches it literally (metacharacters and '{', so that "@{"
/// is no variable, escaped with '\').
[[nodiscard]] std::string pattern_literal(std::string_view text);

/// `text` as a TOML string: 'literal' when it can be, else "basic" with escapes.
[[nodiscard]] std::string toml_quote(std::string_view text);

}  // namespace redirect::cli
