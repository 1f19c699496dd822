// A rule as written in a rule file, before anything is compiled. Every field keeps the source
// position of its value so that later phases (regex compilation, syscall lookup, lint) point at
// the exact spot. @{VAR} references are already expanded here; `positions` maps each byte of
// the expanded text back to the file so a PCRE2 error offset becomes a column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rules/action.h"
#include "rules/diagnostic.h"

namespace redirect::rules {

template <class T>
struct Located {
  T value{};
  SourcePos pos;  // position of the value (the opening quote of a string)
};

/// A string value after @{VAR} expansion, with a source position per byte.
struct LocatedText {
  std::string value;
  SourcePos pos;                     // the value as a whole (its opening quote)
  std::vector<SourcePos> positions;  // positions[i] = where byte i came from; size value.size()+1

  /// Where byte `offset` of `value` came from; the end maps past the last byte; falls back to
  /// `pos` when the map is empty (tests build rules by hand).
  [[nodiscard]] SourcePos at(std::size_t offset) const {
    if (positions.empty()) return pos;
    return positions[offset < positions.size() ? offset : positions.size() - 1];
  }
};

struct Rule {
  std::string path;      // the file it came from, as given on the command line
  SourcePos pos;         // its [[rule]] header
  std::size_t index = 0;  // 1-based position among the file's rules
  Located<std::string> name;  // "rule N" when not written
  bool named = false;         // `name` was written in the file
  std::vector<Located<std::string>> syscalls;  // names and %classes as written
  std::optional<std::vector<Located<std::int64_t>>> args;  // explicit argument indexes
  LocatedText match;
  std::optional<LocatedText> replace;
  Located<Action> action{Action::rewrite, {}};
  std::optional<Located<std::string>> errno_name;  // as written; only with deny
  int errno_value = 0;  // the errno a deny returns (EACCES unless errno_name says otherwise)
  /// The loader found an error in this rule. It is kept so that later phases still report
  /// their own problems with the parts that loaded (lint shows everything in one run), but it
  /// never reaches a compiled Matcher.
  bool broken = false;
  bool match_ok = false;    // `match` is a string whose @{VAR}s expanded
  bool replace_ok = false;  // likewise for `replace`
};

/// How every message names a rule: 'config' when it has a name, else its 1-based index in its
/// file ("rule 3" reads as the third rule, never as a rule called "rule 3").
std::string rule_label(const Rule& rule);

/// What a file's rules match a relative path argument against (the top-level `paths` key).
enum class PathMode : std::uint8_t {
  resolved,   ///< "resolved": the absolute path the kernel will reach (the default)
  as_passed,  ///< "as-passed": the string exactly as the program passed it
};

struct RuleFile {
  std::string path;
  std::string source;  // the file's text, for carets under diagnostics
  std::vector<Rule> rules;
  PathMode paths = PathMode::resolved;
};

}  // namespace redirect::rules
