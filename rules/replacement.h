// A rewrite rule's replacement, parsed once when the matcher is compiled, so that a rewrite at a
// syscall stop is only copies: the text before the match, literal pieces and group substrings,
// the text after it. pcre2_substitute() re-parsed the replacement and copied its match data on
// every call: ~1,200 of the ~3,100 instructions a rewritten openat cost the tracer (callgrind of
// bench W1), where strace-level speed leaves little room. The syntax and meaning are PCRE2's
// non-extended ones (see Regex::check_replacement); what the parser leaves to PCRE2 ($*MARK, a
// name that several groups share under (?J)) still goes through pcre2_substitute(), and the unit
// tests and the substitute fuzzer check that both give the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::rules {

class Regex;

class Replacement {
 public:
  /// Parses `text` for `regex`; `text` must be one regex.check_replacement() accepts.
  Replacement(const Regex& regex, std::string text);

  /// Exactly Regex::substitute_last_match(subject, text(), out), for the `regex` given to the
  /// constructor: the result NUL-terminated in `out`, its length, or nullopt when it does not
  /// fit. No allocation.
  [[nodiscard]] std::optional<std::size_t> expand(const Regex& regex, std::string_view subject,
                                                  std::span<char> out) const;

  [[nodiscard]] const std::string& text() const { return text_; }
  /// False when expand() hands the work to pcre2_substitute().
  [[nodiscard]] bool parsed() const { return parsed_; }

 private:
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
