// Re-reads a TOML string token (TOML 1.0 section "String") to find where each decoded byte came
// from. Escapes are TOML 1.0's: \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX, plus, in multi-line
// basic strings, a backslash at the end of a line that removes the line break and the
// whitespace after it. A multi-line string drops a line break right after its opening quotes,
// and may end with one or two quotes just before the closing three (""""" is one '"' + close).
#include "rules/toml_string_positions.h"

#include <cstdint>
#include <optional>
#include <string>

namespace redirect::rules {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A cursor over the source that knows the line and column of the byte it is on.
class Cursor {
 public:
  Cursor(std::string_view source, std::size_t offset, SourcePos pos)
      : s_(source), i_(offset), pos_(pos) {}

  bool done() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  bool starts_with(std::string_view t) const { return s_.substr(i_).starts_with(t); }
  SourcePos pos() const { return pos_; }

  // Moves past one byte; the column advances once per code point.
  void next() {
    char c = s_[i_++];
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if (i_ >= s_.size() || !is_continuation(s_[i_])) {
      ++pos_.column;
    }
  }

 private:
  std::string_view s_;
  std::size_t i_;
  SourcePos pos_;
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Decoder {
 public:
  explicit Decoder(Cursor c) : c_(c) {}

  // Decodes the token at the cursor; false when it is not a well-formed string.
  bool run() {
    char quote = c_.peek();
    if (quote != '"' && quote != '\'') return false;
    const bool basic = quote == '"';
    const std::string triple(3, quote);
    const bool multi = c_.starts_with(triple);
    for (int n = 0; n < (multi ? 3 : 1); ++n) c_.next();
    if (multi) {
      if (c_.starts_with("\r\n")) c_.next();
      if (c_.peek() == '\n') c_.next();
    }
    while (!c_.done()) {
      char ch = c_.peek();
      if (multi ? c_.starts_with(triple) : ch == quote) {
        if (multi) {
          // Up to two quotes before the closing three belong to the content.
          int extra = 0;
          while (extra < 2 && c_.peek(3 + extra) == quote) ++extra;
          for (int n = 0; n < extra; ++n) take();
        }
        end_ = c_.pos();
        return true;
      }
      if (!multi && ch == '\n') return false;
      if (basic && ch == '\\') {
        if (!escape(multi)) return false;
      } else if (multi && c_.starts_with("\r\n")) {
        c_.next();
        take();  // toml++ keeps the line break as "\n"
      } else {
        take();
      }
    }
    return false;
  }

  std::string text;
  std::vector<SourcePos> positions;
  SourcePos end_;

 private:
  void take() {
    text += c_.peek();
    positions.push_back(c_.pos());
    c_.next();
  }

  void emit(std::string_view bytes, SourcePos at) {
    text += bytes;
    positions.insert(positions.end(), bytes.size(), at);
  }

  bool escape(bool multi) {
    SourcePos at = c_.pos();
    c_.next();  // the backslash
    char e = c_.peek();
    if (multi && (e == ' ' || e == '\t' || e == '\r' || e == '\n')) {
      // A line-ending backslash: only whitespace may follow it on its line.
      std::size_t ahead = 0;
      while (c_.peek(ahead) == ' ' || c_.peek(ahead) == '\t' || c_.peek(ahead) == '\r') ++ahead;
      if (c_.peek(ahead) != '\n') return false;
      while (c_.peek() == ' ' || c_.peek() == '\t' || c_.peek() == '\r' || c_.peek() == '\n')
        c_.next();
      return true;
    }
    static constexpr std::string_view from = "btnfr\"\\";
    static constexpr std::string_view to = "\b\t\n\f\r\"\\";
    if (std::size_t k = from.find(e); k != std::string_view::npos && e != '\0') {
      c_.next();
      emit(to.substr(k, 1), at);
      return true;
    }
    if (e != 'u' && e != 'U') return false;
    c_.next();
    std::uint32_t cp = 0;
    for (int n = 0; n < (e == 'u' ? 4 : 8); ++n) {
      char h = c_.peek();
      int v = h >= '0' && h <= '9'   ? h - '0'
              : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                     : -1;
      if (v < 0) return false;
      cp = cp * 16 + static_cast<std::uint32_t>(v);
      c_.next();
    }
    std::string bytes;
    append_utf8(bytes, cp);
    emit(bytes, at);
    return true;
  }

  Cursor c_;
};

}  // namespace

SourceLines::SourceLines(std::string_view source) : source_(source) {
  starts_.push_back(0);
  for (std::size_t i = source.find('\n'); i != std::string_view::npos;
       i = source.find('\n', i + 1))
    starts_.push_back(i + 1);
}

std::optional<std::size_t> SourceLines::offset_of(SourcePos pos) const {
  if (pos.line == 0 || pos.line > starts_.size()) return std::nullopt;
  std::size_t i = starts_[pos.line - 1];
  for (std::uint32_t column = 1; column < pos.column; ++column) {
    if (i >= source_.size() || source_[i] == '\n') return std::nullopt;
    ++i;
    while (i < source_.size() && is_continuation(source_[i])) ++i;
  }
  return i;
}

std::vector<SourcePos> toml_string_positions(const SourceLines& lines, SourcePos begin,
                                             std::string_view value) {
  if (std::optional<std::size_t> offset = lines.offset_of(begin)) {
    Decoder d(Cursor(lines.source(), *offset, begin));
    if (d.run() && d.text == value) {
      d.positions.push_back(d.end_);
      return std::move(d.positions);
    }
  }
  return std::vector<SourcePos>(value.size() + 1, begin);
}

}  // namespace redirect::rules
