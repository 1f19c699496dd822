// Where each byte of a TOML string value was written in the file. toml++ gives the position of a
// value's opening quote only; a PCRE2 error offset inside a pattern (or an @{VAR} problem) should
// point at the exact column, so the loader re-reads the raw string token to map every decoded
// byte back. Columns count code points, as toml++'s do (a tab is one column).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "rules/diagnostic.h"

namespace redirect::rules {

/// A source text and where each of its lines starts, so that finding a position is a lookup, not
/// a scan from the top: a file of n strings is then read in O(n), where a scan per string made
/// loading 10,000 rules quadratic (seconds). Keeps a view of `source`, which must outlive it.
class SourceLines {
 public:
  explicit SourceLines(std::string_view source);
  [[nodiscard]] std::string_view source() const { return source_; }
  /// Byte offset of `pos` (line and column in code points), or nullopt past the end of its line
  /// or of the text.
  [[nodiscard]] std::optional<std::size_t> offset_of(SourcePos pos) const;

 private:
  std::string_view source_;
  std::vector<std::size_t> starts_;  // starts_[i]: offset of line i + 1
};

/// Positions of the bytes of `value`, the decoded form of the TOML string (basic, literal,
/// multi-line basic or multi-line literal) whose opening quote is at `begin` in `lines`.
/// The result has value.size() + 1 entries; the last is the closing quote.
/// Bytes of an escape sequence ("\t", "\u00e9") map to its backslash; bytes removed by a
/// line-ending backslash map nowhere (they are not in `value`).
/// If the raw token cannot be found or does not decode to exactly `value` (this is not expected
/// to happen), every entry is `begin`: positions are then coarse, never wrong.
[[nodiscard]] std::vector<SourcePos> toml_string_positions(const SourceLines& lines,
                                                           SourcePos begin, std::string_view value);

}  // namespace redirect::rules
