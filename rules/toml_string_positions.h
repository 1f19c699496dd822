// Where each byte of a TOML string value was written in the file. toml++ gives the position of a
// value's opening quote only; a PCRE2 error offset inside a pattern (or an @{VAR} problem) should
// point at the exact column, so the loader re-reads the raw string token to map every decoded
// byte back. Columns count code points, as toml++'s do (a tab is one column).
#pragma once

#include <string_view>
#include <vector>

#include "rules/diagnostic.h"

namespace redirect::rules {

/// Positions of the bytes of `value`, the decoded form of the TOML string (basic, literal,
/// multi-line basic or multi-line literal) whose opening quote is at `begin` in `source`.
/// The result has value.size() + 1 entries; the last is the closing quote.
/// Bytes of an escape sequence ("\t", "\u00e9") map to its backslash; bytes removed by a
/// line-ending backslash map nowhere (they are not in `value`).
/// If the raw token cannot be found or does not decode to exactly `value` (this is not expected
/// to happen), every entry is `begin`: positions are then coarse, never wrong.
[[nodiscard]] std::vector<SourcePos> toml_string_positions(std::string_view source, SourcePos begin,
                                                           std::string_view value);

}  // namespace redirect::rules
