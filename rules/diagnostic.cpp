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

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) ++errors_;
  list_.push_back(std::move(d));
}

namespace {

std::string_view severity_word(Severity s) { return s == Severity::error ? "error" : "warning"; }

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

std::string format_text(const Diagnostic& d) {
  if (d.pos.line == 0)
    return fmt::format("{}: {}: {}", d.path, severity_word(d.severity), d.message);
  if (d.pos.column == 0)
    return fmt::format("{}:{}: {}: {}", d.path, d.pos.line, severity_word(d.severity), d.message);
  return fmt::format("{}:{}:{}: {}: {}", d.path, d.pos.line, d.pos.column,
                     severity_word(d.severity), d.message);
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
    indent += c == '\t' ? '\t' : ' ';
    ++column;
  }
  // A column past the end of the line (an error at the line ending) still gets its caret.
  indent.append(d.pos.column - column, ' ');
  out += '\n';
  out += *line;
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
