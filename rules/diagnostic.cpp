// Diagnostic collection and the three ways they are printed. Columns are counted in code points,
// as toml++ counts them (a tab is one column), so the caret line copies tabs from the source line
// and writes one space per other code point: it then lines up in any terminal that expands tabs.
#include "rules/diagnostic.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

namespace redirect::rules {

void Diagnostics::error(std::string_view path, SourcePos pos, std::string message) {
  add(Diagnostic{std::string(path), pos, Severity::error, std::move(message)});
}

void Diagnostics::warning(std::string_view path, SourcePos pos, std::string message) {
  add(Diagnostic{std::string(path), pos, Severity::warning, std::move(message)});
}

void Diagnostics::note(std::string_view path, SourcePos pos, std::string message) {
  add(Diagnostic{std::string(path), pos, Severity::note, std::move(message)});
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) ++errors_;
  if (d.severity == Severity::warning) ++warnings_;
  list_.push_back(std::move(d));
}

namespace {

std::string_view severity_word(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// How one byte of a source line or message is shown: itself, or \xNN for a control byte.
void put_printable(std::string& out, char c) {
  static constexpr char hex[] = "0123456789abcdef";
  if (!is_control(c)) {
    out += c;
    return;
  }
  auto u = static_cast<unsigned char>(c);
  out += "\\x";
  out += hex[u >> 4];
  out += hex[u & 0xf];
}

// Line `line` (1-based) of `source` without its line ending; nullopt past the end.
std::optional<std::string_view> nth_line(std::string_view source, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t n = 1; n < line; ++n) {
    std::size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return std::nullopt;
    start = nl + 1;
  }
  if (start > source.size() || (start == source.size() && line > 1)) return std::nullopt;
  std::string_view rest = source.substr(start);
  std::string_view text = rest.substr(0, rest.find('\n'));
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) put_printable(out, c);
  return out;
}

std::string format_text(const Diagnostic& d) {
  const std::string path = printable(d.path), message = printable(d.message);
  if (d.pos.line == 0)
    return fmt::format("{}: {}: {}", path, severity_word(d.severity), message);
  if (d.pos.column == 0)
    return fmt::format("{}:{}: {}: {}", path, d.pos.line, severity_word(d.severity), message);
  return fmt::format("{}:{}:{}: {}: {}", path, d.pos.line, d.pos.column,
                     severity_word(d.severity), message);
}

std::string format_text_with_caret(const Diagnostic& d, std::string_view source) {
  std::string out = format_text(d);
  if (d.pos.line == 0 || d.pos.column == 0) return out;
  std::optional<std::string_view> line = nth_line(source, d.pos.line);
  if (!line) return out;
  std::string indent;
  std::uint32_t column = 1;
  for (char c : *line) {
    if (column >= d.pos.column) break;
    if (is_utf8_continuation(c)) continue;
    // A control byte is shown as four characters (\xNN): the caret moves past all four.
    indent.append(is_control(c) ? 4 : 1, c == '\t' ? '\t' : ' ');
    ++column;
  }
  // A column past the end of the line (an error at the line ending) still gets its caret.
  indent.append(d.pos.column - column, ' ');
  out += '\n';
  out += printable(*line);
  out += '\n';
  out += indent;
  out += '^';
  return out;
}

std::string format_json(const std::vector<Diagnostic>& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const Diagnostic& d : list) {
    array.push_back({{"file", d.path},
                     {"line", d.pos.line},
                     {"column", d.pos.column},
                     {"severity", severity_word(d.severity)},
                     {"message", d.message}});
  }
  // Paths and values quoted in messages are bytes, not necessarily UTF-8: replace what is not
  // valid rather than throw.
  return array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace redirect::rules
