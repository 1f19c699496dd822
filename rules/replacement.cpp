// Replacement (see replacement.h): PCRE2's non-extended replacement syntax, checked and parsed
// once. It follows PCRE2 10.42 src/pcre2_substitute.c: '$$', '$N', '${N}', '$NAME', '${NAME}',
// '$*MARK', '${*MARK}'; any other '$' is an error there too.
#include "rules/replacement.h"

#include <cstring>

namespace redirect::rules {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

// PCRE2's limits on a reference in a replacement (src/pcre2_intmodedep.h MAX_NAME_SIZE,
// and the 16-bit group numbers of src/pcre2_substitute.c).
constexpr std::size_t max_name_size = 32;
constexpr long max_group_number = 65535;

}  // namespace

std::optional<Replacement> Replacement::parse(const Regex& regex, std::string text,
                                              Regex::Error& error) {
  Replacement r(std::move(text));
  const std::string& s = r.text_;
  const std::size_t n = s.size();
  auto literal = [&](std::size_t from, std::size_t to) {
    if (to > from)
      r.pieces_.push_back({kLiteral, static_cast<std::uint32_t>(from),
                           static_cast<std::uint32_t>(to - from)});
  };
  std::size_t lit = 0;  // start of the literal text not yet emitted
  for (std::size_t i = 0; i < n; ++i) {
    if (s[i] != '$') continue;
    const std::size_t dollar = i;
    auto bad = [&](std::string message) -> std::optional<Replacement> {
      error = Regex::Error{std::move(message), dollar};
      return std::nullopt;
    };
    literal(lit, i);
    if (++i >= n) return bad("'$' at the end of the replacement (write '$$' for a '$')");
    if (s[i] == '$') {  // "$$": the second '$' is the literal
      lit = i;
      continue;
    }
    const bool braces = s[i] == '{';
    if (braces && ++i >= n) return bad("missing '}' after '${'");
    const bool star = s[i] == '*';
    if (star && ++i >= n) return bad("missing name after '$*'");
    const std::size_t start = i;
    std::uint32_t group = 0;
    if (!star && is_digit(s[i])) {
      long number = 0;
      while (i < n && is_digit(s[i])) {
        number = number * 10 + (s[i] - '0');
        if (number > max_group_number) return bad("group number too large after '$'");
        ++i;
      }
      if (number > regex.capture_count()) {
        return bad("no group " + std::to_string(number) + " in the pattern (it has " +
                   std::to_string(regex.capture_count()) + ")");
      }
      group = static_cast<std::uint32_t>(number);
    } else {
      while (i < n && is_word(s[i])) ++i;
      const std::string_view name = std::string_view(s).substr(start, i - start);
      if (name.empty())
        return bad(
            "'$' must be followed by a group number or name, '{' or '$' (write '$$' for a '$')");
      if (name.size() > max_name_size) return bad("group name too long after '$'");
      if (star) {
        if (name != "MARK") return bad("unknown '$*" + std::string(name) + "' (only '$*MARK' exists)");
        r.parsed_ = false;  // PCRE2 knows the mark of the last match, we do not
      } else if (!regex.has_group(name)) {
        return bad("no group named '" + std::string(name) + "' in the pattern");
      } else if (std::optional<int> number = regex.group_number(name)) {
        group = static_cast<std::uint32_t>(*number);
      } else {
        r.parsed_ = false;  // a name several groups share: PCRE2 picks the one that matched
      }
    }
    if (braces && (i >= n || s[i] != '}')) return bad("missing '}' after '${'");
    r.pieces_.push_back({group});
    if (braces) ++i;  // past the '}'
    lit = i;
    --i;  // the loop's ++i
  }
  literal(lit, n);
  if (!r.parsed_) r.pieces_.clear();
  return r;
}

std::optional<std::size_t> Replacement::expand(const Regex& regex, std::string_view subject,
                                               std::span<char> out, MatchState* state) const {
  std::span<const std::size_t> ov = regex.last_match_ovector(state);
  if (!parsed_ || ov.size() < 2 || ov[0] > ov[1] || ov[1] > subject.size())
    return regex.substitute_last_match(subject, text_, out, state);
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
