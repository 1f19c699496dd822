// Diagnostics: every problem found in a rule file or on the command line, with the file, line
// and column it comes from. They are collected, not thrown, so `redirect lint` reports every
// problem of a file in one run; callers check has_errors() at the end of a phase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::rules {

/// 1-based position in a source file; line 0 means "no position" (a problem of the whole file).
struct SourcePos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

/// A note is information that never fails a check, not even `lint --strict` (an unset variable
/// that lint replaced with a placeholder).
enum class Severity : std::uint8_t { error, warning, note };

struct Diagnostic {
  std::string path;
  SourcePos pos;
  Severity severity = Severity::error;
  std::string message;
};

/// An append-only list of diagnostics. Not an error to add none.
class Diagnostics {
 public:
  void error(std::string_view path, SourcePos pos, std::string message);
  void warning(std::string_view path, SourcePos pos, std::string message);
  void note(std::string_view path, SourcePos pos, std::string message);
  void add(Diagnostic d);

  [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }
  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] std::size_t warning_count() const { return warnings_; }
  [[nodiscard]] std::size_t note_count() const { return list_.size() - errors_ - warnings_; }
  [[nodiscard]] bool empty() const { return list_.empty(); }

 private:
  std::vector<Diagnostic> list_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
};

/// `text` with every control byte (below 0x20 but tab, and 0x7f) written as \xNN, so that a
/// message or a line of a binary file cannot drive the terminal. Other bytes are kept.
[[nodiscard]] std::string printable(std::string_view text);

/// "FILE:LINE:COL: error: MESSAGE" (or "FILE: error: MESSAGE" without a position); control
/// bytes in the path and message are escaped (printable()).
[[nodiscard]] std::string format_text(const Diagnostic& d);

/// format_text() followed, when `source` (the whole file's text) has the line, by that line
/// and a caret under the column, as compilers print them; the line is escaped like the message
/// and the caret still points at the same character.
[[nodiscard]] std::string format_text_with_caret(const Diagnostic& d, std::string_view source);

/// A JSON array of objects {"file","line","column","severity","message"}, in order.
[[nodiscard]] std::string format_json(const std::vector<Diagnostic>& list);

}  // namespace redirect::rules
