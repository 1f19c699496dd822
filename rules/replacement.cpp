// Replacement (see replacement.h): PCRE2's non-extended replacement syntax, parsed once.
#include "rules/replacement.h"

#include <cstring>

#include "rules/regex.h"

namespace redirect::rules {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

}  // namespace

Replacement::Replacement(const Regex& regex, std::string text) : text_(std::move(text)) {
  const std::size_t n = text_.size();
  auto literal = [&](std::size_t from, std::size_t to) {
    if (to > from)
      pieces_.push_back({kLiteral, static_cast<std::uint32_t>(from),
                         static_cast<std::uint32_t>(to - from)});
  };
  std::size_t lit = 0;  // start of the literal text not yet emitted
  for (std::size_t i = 0; i < n; ++i) {
    if (text_[i] != '$') continue;
    literal(lit, i);
    ++i;  // check_replacement() guarantees something follows
    if (text_[i] == '$') {  // "$$": the second '$' is the literal
      lit = i;
      continue;
    }
    const bool braces = text_[i] == '{';
    if (braces) ++i;
    if (text_[i] == '*') {  // $*MARK: PCRE2 knows the mark of the last match, we do not
      parsed_ = false;
      return;
    }
    std::uint32_t group = 0;
    if (is_digit(text_[i])) {
      while (i < n && is_digit(text_[i]))
        group = group * 10 + static_cast<unsigned>(text_[i++] - '0');
    } else {
      std::size_t start = i;
      while (i < n && is_word(text_[i])) ++i;
      std::optional<int> number =
          regex.group_number(std::string_view(text_).substr(start, i - start));
      if (!number) {  // a name several groups share: PCRE2 picks the one that matched
        parsed_ = false;
        return;
      }
      group = static_cast<std::uint32_t>(*number);
    }
    pieces_.push_back({group});
    if (braces) ++i;  // past the '}'
    lit = i;
    --i;              // the loop's ++i
  }
  literal(lit, n);
}

std::optional<std::size_t> Replacement::expand(const Regex& regex, std::string_view subject,
                                               std::span<char> out) const {
  std::span<const std::size_t> ov = regex.last_match_ovector();
  if (!parsed_ || ov.size() < 2 || ov[0] > ov[1] || ov[1] > subject.size())
    return regex.substitute_last_match(subject, text_, out);
  std::size_t at = 0;
  bool fits = true;
  auto put = [&](const char* p, std::size_t len) {
    if (!fits || len > out.size() - at) {
      fits = false;
      return;
    }
    std::memcpy(out.data() + at, p, len);
    at += len;
  };
  put(subject.data(), ov[0]);
  for (const Piece& piece : pieces_) {
    if (piece.group == kLiteral) {
      put(text_.data() + piece.offset, piece.length);
      continue;
    }
    std::size_t pair = 2 * static_cast<std::size_t>(piece.group);
    // A group that did not take part expands to "" (PCRE2_SUBSTITUTE_UNSET_EMPTY).
    if (pair + 1 < ov.size() && ov[pair] <= ov[pair + 1] && ov[pair + 1] <= subject.size())
      put(subject.data() + ov[pair], ov[pair + 1] - ov[pair]);
  }
  put(subject.data() + ov[1], subject.size() - ov[1]);
  if (!fits || at >= out.size()) return std::nullopt;  // no room for the NUL
  out[at] = '\0';
  return at;
}

}  // namespace redirect::rules
