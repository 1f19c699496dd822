// `redirect trace --suggest ROOT`: turn what a traced run failed to find, and what it wrote,
// into a rule file that makes the program find its files in a bundle without hiding the
// host's. The promise, and the surprise that shapes the code: a rule for a directory hides
// every host file in it from the program and from everything the program runs (the loader,
// nss, an interpreter's standard library), so
//   - a directory shared by the host's packages (shared_dirs.h), or whose host copy holds
//     entries the bundle lacks, is never mapped whole: the files the program looked for in it
//     get a rule each (a library's matches both its /lib and /usr/lib spellings);
//   - a path the host has and the run used is never mapped (only failed lookups are evidence);
//   - a stat or O_PATH probe of a directory alone is no evidence;
//   - the one exception is a directory an interpreter lists to find packages (Python's
//     dist-packages): the bundle's packages there are seen only when it is mapped whole, so
//     that rule is written and its comment names the host entries it hides.
// Writes under $HOME, /var/lib/NAME, /var/log/NAME, /var/cache/NAME and /run/NAME go to the
// data directories. Pure code: the file system is asked through FileSystemView, so every
// choice is unit-tested.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/trace_report.h"

namespace redirect::cli {

struct SuggestOptions {
  std::string root;         ///< the bundle's root, absolute, without a trailing '/'
  std::string var = "SNAP"; ///< the variable that names ROOT at run time
  std::string home;         ///< $HOME at trace time ("" = none)
  std::string command;      ///< the traced command line, for the file's header
  std::set<std::string> taken_names;  ///< rule names already used (the --rules files')
};

/// The file system as suggest_rules sees it; a bundle path is ROOT followed by the path.
struct FileSystemView {
  std::function<bool(const std::string&)> exists;  ///< lstat succeeds
  std::function<bool(const std::string&)> is_dir;  ///< stat succeeds and says directory
  /// The names in a directory (no "." or ".."), nullopt when it cannot be listed.
  std::function<std::optional<std::vector<std::string>>(const std::string&)> list;
};

/// What suggest_rules found.
struct Suggestion {
  std::string header;  ///< comment lines: what made the file and how to check it
  std::string rules;   ///< the [[rule]] tables with their comments ("" when there is none),
                       ///< or the comment that says why there is none
  std::size_t count = 0;                 ///< rules in `rules`
  /// Directories the data rules point at, in the default data directory (under ROOT): the
  /// program finds them on the host, so they must exist for the rules to work as written.
  std::vector<std::string> data_dirs;

  /// A whole rule file: header, version, rules.
  [[nodiscard]] std::string file() const { return header + "version = 1\n" + rules; }
};

/// The rules for `looked_up` and `written` (see TraceReport). Rules come deepest first, so
/// the first match is the right one; each has a comment saying what it covers, its evidence
/// and which host entries it hides. Each replacement names `@{VAR:-ROOT}`, so the file works
/// as written and in a bundle where VAR is set (a ROOT with '}' cannot be a default: it is
/// then written as it is, and the header says so).
[[nodiscard]] Suggestion suggest_rules(const std::map<std::string, PathFacts>& looked_up,
                                       const std::map<std::string, PathFacts>& written,
                                       const SuggestOptions& options, const FileSystemView& fs);

/// Why `root` cannot be named in a rule file (it holds "@{", which a replacement cannot
/// produce), or nullopt when it can.
[[nodiscard]] std::optional<std::string> unusable_root(std::string_view root);

/// `text` as a PCRE2 pattern that matches it literally (metacharacters and '{', so that "@{"
/// is no variable, escaped with '\').
[[nodiscard]] std::string pattern_literal(std::string_view text);

/// `text` as a TOML string: 'literal' when it can be, else "basic" with escapes.
[[nodiscard]] std::string toml_quote(std::string_view text);

}  // namespace redirect::cli
