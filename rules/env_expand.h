// @{NAME} and @{NAME:-default} in rule strings: replaced by the environment variable's value
// when the rules load. In `replace` the value comes out literally ('$' is doubled, so a value
// "/snap/a$2" is not a group reference); in `match` it is Regex::quote()d so that a value like
// "/home/a.b+c" matches only itself.
//
// There is deliberately no escape for a literal "@{" ("@@{" is not special). A pattern that
// needs to match "@{" can write "@\{"; a replacement cannot produce "@{" (no path needs it).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "rules/diagnostic.h"
#include "rules/rule.h"

namespace redirect::rules {

/// Looks up an environment variable; nullopt when it is unset (set but empty is "").
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment (getenv).
[[nodiscard]] EnvLookup process_env();

/// What an unset variable without a default becomes.
enum class UnsetVariables : std::uint8_t {
  error,        // an error that names it: a run cannot guess a path
  placeholder,  // placeholder_for(NAME) and a note: lint, where the target's variables do not
                // exist (a packager's build machine has no $SNAP)
};

/// `value` without the trailing slashes of an absolute path ("/root/" -> "/root"; "/" stays
/// "/"): how every @{NAME} value and default is inserted, so that "@{HOME}/x" means the same
/// with HOME=/root/ as with HOME=/root.
[[nodiscard]] std::string_view without_trailing_slashes(std::string_view value);

/// "/UNSET/NAME": what lint puts where an unset variable was. An absolute path, so the
/// replacement still looks like what the rule means.
[[nodiscard]] std::string placeholder_for(std::string_view name);

/// How references expand, and what was said already: the note about an unset variable and the
/// warning about a set but empty one are given once per variable (at its first reference), so a
/// file that uses $SNAP forty times says so once.
struct ExpandContext {
  EnvLookup env;
  UnsetVariables unset = UnsetVariables::error;
  std::set<std::string, std::less<>> said;
};

/// How an expanded value is inserted.
enum class ExpandMode : std::uint8_t {
  literal,  // literal in a PCRE2 replacement: '$' doubled (replace)
  quoted,   // Regex::quote()d (match)
};

/// Expands every @{NAME} / @{NAME:-default} of `text.value`. NAME is a letter or '_' followed by
/// letters, digits and '_'. As in the shell's ${NAME:-default}, the default is used when NAME is
/// unset or empty; a set but empty NAME without a default expands to "" with a warning (it
/// silently turns "@{SNAP}/etc/x" into the host's "/etc/x").
/// `text.positions` (if not empty) gives the source position of each byte; in the result the
/// bytes of a value map to the position of its '@', the bytes of a default to where they are
/// written. Problems (no closing '}', a bad name, NAME unset without default unless
/// `context.unset` asks for a placeholder) are errors in `diags` at the '@', with `path`; every
/// one in `text` is reported, then the result is nullopt.
[[nodiscard]] std::optional<LocatedText> expand_env(const LocatedText& text, ExpandMode mode,
                                                    ExpandContext& context,
                                                    std::string_view path, Diagnostics& diags);

}  // namespace redirect::rules
