// RAII wrapper of a PCRE2 pattern compiled for byte strings (no UTF mode: paths are bytes and
// need not be valid UTF-8) and JIT-compiled, when the JIT is available, at its first match. A
// Regex owns its match data, so matching allocates nothing; that also makes one Regex usable by
// one thread at a time only (the tracer is single-threaded). Code that matches from several
// threads, or from a signal handler that may interrupt itself (the in-process backend), gives
// each call a MatchState of its own, built in memory the caller provides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace redirect::rules {

/// Where a match's results and PCRE2's per-match memory live, for matching one Regex from several
/// threads at once: a Regex's own state serves one thread; each other thread (or each nested
/// call) matches with a MatchState of its own. Built in `memory` the caller provides (a stack
/// frame, a preallocated page), so making one allocates nothing from the heap and can be done
/// inside a signal handler.
class MatchState {
 public:
  /// Bytes of `memory` a state for patterns with up to `captures` groups needs.
  [[nodiscard]] static constexpr std::size_t memory_needed(int captures) {
    return 2048 + 48 * static_cast<std::size_t>(captures + 1);
  }
  /// A state for patterns with up to `captures` groups, in `memory` (16-byte aligned, at least
  /// memory_needed(captures) bytes, kept by the caller for the state's life). ok() is false when
  /// PCRE2 wanted more than `memory` holds; such a state must not be matched with.
  MatchState(int captures, std::span<std::byte> memory);
  MatchState(const MatchState&) = delete;
  MatchState& operator=(const MatchState&) = delete;
  ~MatchState();
  [[nodiscard]] bool ok() const { return impl_ != nullptr; }

  struct Impl;  ///< opaque (regex.cpp)

 private:
  friend class Regex;
  Impl* impl_ = nullptr;
};

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

  /// The PCRE2 limits every match runs under, set explicitly (not PCRE2's build-time defaults)
  /// so that where a pattern gives up is the same on every build: the number of backtracking
  /// steps (pcre2_set_match_limit; the JIT counts the same way) and the depth of nested
  /// backtracking frames (pcre2_set_depth_limit; interpreter only). docs/rules.md quotes them.
  static constexpr std::uint32_t match_limit = 1'000'000;
  static constexpr std::uint32_t depth_limit = 100'000;

  /// How one match ended. `error`: PCRE2 gave up before deciding (a limit above, or another
  /// negative return of pcre2_match than "no match"); error_message() says which.
  enum class Outcome : std::uint8_t { no_match, match, error };

  /// Whether the pattern matches somewhere in `subject`; remembers a match for
  /// substitute_last_match().
  /// The first call JIT-compiles the pattern (allocating its code); after that, with the JIT it
  /// allocates nothing; without, the first call allocates PCRE2's frame vector.
  /// With `state`, the match runs in that state (see MatchState; it must be made for at least
  /// capture_count() groups) and its results stay there; the JIT must then have been prepared
  /// (prepare()), since compiling it allocates and is not thread-safe.
  [[nodiscard]] Outcome try_match(std::string_view subject, MatchState* state = nullptr) const;

  /// JIT-compiles the pattern now rather than at its first match (before matching from several
  /// threads, or from a signal handler). Returns whether the JIT compiled it; false means every
  /// match runs in the interpreter, which allocates its frame vector.
  bool prepare() const;

  /// try_match() == Outcome::match: a match error counts as no match here. For the callers
  /// that only probe patterns (lint); a decision about a path uses try_match().
  [[nodiscard]] bool match(std::string_view subject) const {
    return try_match(subject) == Outcome::match;
  }

  /// PCRE2's message for the last try_match() that ended in Outcome::error ("match limit
  /// exceeded"); "" when it did not.
  [[nodiscard]] std::string error_message() const;

  /// Writes `subject` with its last match (from match(), same subject) replaced by the expansion
  /// of `replacement` (PCRE2 syntax: $1 ${1} ${name} $$) into `out`, NUL-terminated, with
  /// pcre2_substitute(). Returns the length without the NUL, or nullopt when it does not fit in
  /// `out` (the caller turns that into ENAMETOOLONG). No allocation. Throws std::logic_error (a
  /// bug of the caller) when the last match() did not match or `replacement` is one that
  /// Replacement::parse() rejects. Groups that did not take part in the match expand to "".
  /// Rewrites use Replacement::expand(), which calls this only for what it does not parse
  /// itself ($*MARK, a name several groups share); it is also the reference in tests.
  [[nodiscard]] std::optional<std::size_t> substitute_last_match(
      std::string_view subject, std::string_view replacement, std::span<char> out,
      MatchState* state = nullptr) const;

  /// Offsets of the last match, as PCRE2's ovector: pair i is group i (0 = the whole match),
  /// PCRE2_UNSET (SIZE_MAX) for a group that did not take part. Empty when match() failed.
  /// `state`: the one the match ran in (null: the Regex's own).
  [[nodiscard]] std::span<const std::size_t> last_match_ovector(
      const MatchState* state = nullptr) const;

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
