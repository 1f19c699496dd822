// RAII wrapper of a PCRE2 pattern compiled for byte strings (no UTF mode: paths are bytes and
// need not be valid UTF-8) and JIT-compiled, when the JIT is available, at its first match. A
// Regex owns its match data, so matching allocates nothing; that also makes one Regex usable by
// one thread at a time only (the tracer is single-threaded).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace redirect::rules {

class Regex {
 public:
  /// A compile error: PCRE2's message and the byte offset in the pattern it points at.
  struct Error {
    std::string message;
    std::size_t offset = 0;
  };

  /// Compiles `pattern`. On failure returns nullopt and fills `error`.
  [[nodiscard]] static std::optional<Regex> compile(std::string_view pattern, Error& error);

  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  /// True when the pattern matches somewhere in `subject`; remembers the match for
  /// substitute_last_match(). A PCRE2 match error (match or depth limit hit) counts as no match.
  /// The first call JIT-compiles the pattern (allocating its code); after that, with the JIT it
  /// allocates nothing; without, the first call allocates PCRE2's frame vector.
  [[nodiscard]] bool match(std::string_view subject) const;

  /// Writes `subject` with its last match (from match(), same subject) replaced by the expansion
  /// of `replacement` (PCRE2 syntax: $1 ${1} ${name} $$) into `out`, NUL-terminated, with
  /// pcre2_substitute(). Returns the length without the NUL, or nullopt when it does not fit in
  /// `out` (the caller turns that into ENAMETOOLONG). No allocation. Throws std::logic_error (a
  /// bug of the caller) when the last match() did not match or `replacement` is one that
  /// Replacement::parse() rejects. Groups that did not take part in the match expand to "".
  /// Rewrites use Replacement::expand(), which calls this only for what it does not parse
  /// itself ($*MARK, a name several groups share); it is also the reference in tests.
  [[nodiscard]] std::optional<std::size_t> substitute_last_match(std::string_view subject,
                                                                 std::string_view replacement,
                                                                 std::span<char> out) const;

  /// Offsets of the last match, as PCRE2's ovector: pair i is group i (0 = the whole match),
  /// PCRE2_UNSET (SIZE_MAX) for a group that did not take part. Empty when match() failed.
  [[nodiscard]] std::span<const std::size_t> last_match_ovector() const;

  /// The number of the group called `name`; nullopt when no group, or several (?J), have it.
  [[nodiscard]] std::optional<int> group_number(std::string_view name) const;

  /// Whether at least one group is called `name` (several may be, under (?J)).
  [[nodiscard]] bool has_group(std::string_view name) const;

  /// Number of capturing groups.
  [[nodiscard]] int capture_count() const;

  /// `text` with every PCRE2 metacharacter escaped so the result matches it literally.
  [[nodiscard]] static std::string quote(std::string_view text);

  /// False when PCRE2 proves the pattern can only match a string that does not start with '/':
  /// it is anchored (every top-level branch starts with '^') and its first byte is known, or
  /// its set of possible first bytes is, without '/'. True when unsure.
  [[nodiscard]] bool may_match_absolute() const;

  /// Whether PCRE2's JIT compiled this pattern (false until the first match()).
  [[nodiscard]] bool jit() const;

 private:
  struct Impl;
  explicit Regex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace redirect::rules
