// A rewrite rule's replacement, parsed once when the matcher is compiled, so that a rewrite at a
// syscall stop is only copies: the text before the match, literal pieces and group substrings,
// the text after it. pcre2_substitute() re-parsed the replacement and copied its match data on
// every call: ~1,200 of the ~3,100 instructions a rewritten openat cost the tracer (callgrind of
// bench W1), where strace-level speed leaves little room.
//
// parse() is the one parser of the replacement syntax: it both checks it (for diagnostics) and
// builds the pieces. The syntax and meaning are PCRE2's non-extended ones; what the pieces leave
// to PCRE2 ($*MARK, a name that several groups share under (?J)) still goes through
// pcre2_substitute(), and the unit tests and the substitute fuzzer check that both give the same
// bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/regex.h"

namespace redirect::rules {

class Replacement {
 public:
  /// Parses `text` as a replacement for matches of `regex`: the syntax of its $-references
  /// ('$$', '$N', '${N}', '$NAME', '${NAME}', '$*MARK') and that every group it names exists.
  /// On failure returns nullopt and fills `error` with the message and the byte offset in
  /// `text` it points at (its '$').
  [[nodiscard]] static std::optional<Replacement> parse(const Regex& regex, std::string text,
                                                        Regex::Error& error);

  /// `subject` with the last match of `regex` (the Regex given to parse(), after a successful
  /// match() of `subject`) replaced by the expansion, NUL-terminated in `out`: its length, or
  /// nullopt when it does not fit. Groups that did not take part expand to "". Gives the bytes
  /// of Regex::substitute_last_match(subject, text(), out). No allocation. `state`: the one
  /// the match ran in (null: the Regex's own).
  [[nodiscard]] std::optional<std::size_t> expand(const Regex& regex, std::string_view subject,
                                                  std::span<char> out,
                                                  MatchState* state = nullptr) const;

  [[nodiscard]] const std::string& text() const { return text_; }
  /// False when expand() hands the work to pcre2_substitute().
  [[nodiscard]] bool parsed() const { return parsed_; }

 private:
  explicit Replacement(std::string text) : text_(std::move(text)) {}
  static constexpr std::uint32_t kLiteral = UINT32_MAX;
  struct Piece {
    std::uint32_t group;  // kLiteral: text_[offset, offset + length)
    std::uint32_t offset = 0, length = 0;
  };
  std::string text_;
  std::vector<Piece> pieces_;
  bool parsed_ = true;
};

}  // namespace redirect::rules
