// The candidate rules of one (syscall, argument) slot, found by literal prefix, so that a path
// no rule can match costs a few comparisons instead of one regex match per rule: with 1,000
// rules on %file, `find /usr/share` spent its time trying every pattern in turn.
//
// Most path rules are anchored literals followed by a group: '^/etc/app/(.*)$' can only match
// strings that start with "/etc/app/". literal_prefix() reads that prefix off the pattern
// (conservatively: "" whenever it is unsure, and such a rule is simply always a candidate);
// the index keeps the distinct prefixes sorted, finds those that start a given string, and
// offers their rules merged with the unindexed ones in ascending id, i.e. decision order, so the
// first rule that matches still decides.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::rules {

/// The literal text every string matched by `pattern` (PCRE2, no options) starts with: the
/// characters after a leading '^' up to the first metacharacter, escapes of punctuation
/// ('\.', '\/') included, minus a last character a quantifier applies to. "" when the pattern
/// is not anchored by '^', has a top-level '|', or uses syntax this reader does not follow
/// (\Q..\E, comments, (?x)): never a prefix that a matching string might lack.
[[nodiscard]] std::string literal_prefix(std::string_view pattern);

class RuleIndex {
 public:
  /// `ids`: the slot's rule ids, ascending (decision order); `prefixes[id]`: each rule's
  /// literal_prefix() ("" = always a candidate). Views into `prefixes` are kept: it must
  /// outlive the index (the Matcher owns both).
  RuleIndex(std::span<const std::uint32_t> ids, std::span<const std::string> prefixes);

  /// Calls `try_rule(id)` for every rule of the slot whose prefix starts `value`, and every
  /// unindexed rule, in ascending id, until one returns true; returns whether one did. Allocates
  /// nothing.
  template <class F>
  bool find_first(std::string_view value, F&& try_rule) const;

  /// Number of rules in the slot.
  [[nodiscard]] std::size_t size() const { return all_.size(); }

 private:
  struct Range {
    std::uint32_t first, count;  // into ids_
  };
  // At most this many distinct prefixes of one string are merged; more (a pathological file)
  // and every rule of the slot is tried in order instead.
  static constexpr std::size_t kMaxHits = 32;
  std::size_t matching_prefixes(std::string_view value, Range* out) const;

  std::vector<std::uint32_t> all_;        // every id of the slot, ascending
  std::vector<std::uint32_t> unindexed_;  // ids without a prefix, ascending
  std::vector<std::string_view> prefixes_;  // distinct, sorted
  std::vector<Range> ranges_;               // ranges_[i]: the ids of prefixes_[i]
  std::vector<std::uint32_t> ids_;          // grouped by prefix, ascending within a group
};

template <class F>
bool RuleIndex::find_first(std::string_view value, F&& try_rule) const {
  // Few rules, or no prefix at all: the index would cost more than it saves.
  if (prefixes_.empty() || all_.size() <= 4) {
    for (std::uint32_t id : all_)
      if (try_rule(id)) return true;
    return false;
  }
  Range hits[kMaxHits + 1];
  std::size_t n = matching_prefixes(value, hits);
  if (n > kMaxHits) {
    for (std::uint32_t id : all_)
      if (try_rule(id)) return true;
    return false;
  }
  hits[n++] = Range{UINT32_MAX, static_cast<std::uint32_t>(unindexed_.size())};  // the rest
  std::uint32_t at[kMaxHits + 1] = {};
  // A k-way merge by smallest next id: k is the number of prefixes of one string (a few).
  for (;;) {
    std::size_t best = n;
    std::uint32_t best_id = UINT32_MAX;
    for (std::size_t i = 0; i < n; ++i) {
      if (at[i] >= hits[i].count) continue;
      std::uint32_t id = hits[i].first == UINT32_MAX ? unindexed_[at[i]]
                                                     : ids_[hits[i].first + at[i]];
      if (id < best_id) {
        best_id = id;
        best = i;
      }
    }
    if (best == n) return false;
    ++at[best];
    if (try_rule(best_id)) return true;
  }
}

}  // namespace redirect::rules
