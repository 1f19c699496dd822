// The file-system side of `trace --suggest` and of trace's outputs: the host as suggest_rules
// sees it, the data directories its rules point at, and the rule file -o writes. The promise:
// no output of `trace` replaces a rule file it was given, and -o replaces an existing file
// only when told to (--force); the file -o writes holds the --rules files first, as they
// were, then the new rules, under one `version`, so that each round of the loop
// (`trace --rules all.toml --suggest ROOT -o next.toml`) gives one file that lints clean.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/suggest.h"

namespace redirect::cli {

/// The file system as it is (lstat, stat, directory listings), for suggest_rules.
[[nodiscard]] FileSystemView host_file_system();

/// Creates `dirs` (and their parents), saying so on stderr; a failure is said, not fatal.
void make_data_dirs(const std::vector<std::string>& dirs);

/// Whether `path`, given with `option` ("-o", "--report"; "-" is stderr), may be written:
/// never a file of `rule_paths`, an existing file only when `replace`. Says why not on stderr.
[[nodiscard]] bool output_allowed(std::string_view option, const std::string& path,
                                  const std::vector<std::string>& rule_paths, bool replace);

/// The rule file -o gets: `s`'s header, one `version` line, each of `rule_paths` as it is
/// (its own `version` line left out), then `s`'s rules. nullopt (said on stderr) when a file
/// cannot be read again.
[[nodiscard]] std::optional<std::string> combined_rules(const Suggestion& s,
                                                        const std::vector<std::string>& rule_paths);

/// Writes `text` to `path`, which must not exist unless `replace` (O_EXCL: no race with a file
/// made meanwhile). False with errno set when it fails.
[[nodiscard]] bool write_file(const std::string& path, const std::string& text, bool replace);

}  // namespace redirect::cli
