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
#include <string>
#include <string_view>

#include "rules/diagnostic.h"
#include "rules/rule.h"

namespace redirect::rules {

/// Looks up an environment variable; nullopt when it is unset (set but empty is "").
/// (The same alias as in loader.h, repeated so this unit does not depend on the loader.)
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// How an expanded value is inserted.
enum class ExpandMode : std::uint8_t {
  literal,  // literal in a PCRE2 replacement: '$' doubled (replace)
  quoted,   // Regex::quote()d (match)
};

/// Expands every @{NAME} / @{NAME:-default} of `text.value`. NAME is a letter or '_' followed by
/// letters, digits and '_'. As in the shell's ${NAME:-default}, the default is used when NAME is
/// unset or empty; a set but empty NAME without a default expands to "".
/// `text.positions` (if not empty) gives the source position of each byte; in the result the
/// bytes of a value map to the position of its '@', the bytes of a default to where they are
/// written. Problems (no closing '}', a bad name, NAME unset without default) are errors in
/// `diags` at the '@', with `path`; every one in `text` is reported, then the result is nullopt.
[[nodiscard]] std::optional<LocatedText> expand_env(const LocatedText& text, ExpandMode mode,
                                                    const EnvLookup& env, std::string_view path,
                                                    Diagnostics& diags);

}  // namespace redirect::rules
