// edit_distance.h -- "did you mean 'openat'?": the distance and the nearest candidate (the
// syscall and class suggestion itself is in syscall_table.h, beside the names).
//
// The distance counts an adjacent transposition as one edit (optimal string alignment), not two
// as plain Levenshtein does: "%fiel" is one typo away from "%file", and with the acceptance
// threshold of closest() (a third of the word) plain Levenshtein would reject it. Like ninja's
// src/edit_distance.h, the computation stops early once the distance must exceed `max`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace redirect::rules {

/// Edits (insert, delete, substitute, swap two adjacent characters) turning `a` into `b`.
/// If that exceeds `max`, returns max + 1 as soon as it is known (SIZE_MAX: no limit).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max = SIZE_MAX);

/// The candidate nearest to `word` within distance max(1, word.size() / 3); on a tie the first
/// in `candidates`. nullopt when none is that close. The view points into `candidates`.
[[nodiscard]] std::optional<std::string_view> closest(
    std::string_view word, std::span<const std::string_view> candidates);

}  // namespace redirect::rules
