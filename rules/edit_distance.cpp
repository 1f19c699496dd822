// edit_distance.cpp -- optimal string alignment distance with an early exit, and suggestions.
//
// Three DP rows suffice: the transposition case looks two rows back. The early exit is sound
// because a row's minimum never decreases from one row to the next (a transposition cell costs
// at least row i-2's minimum + 1, which bounds row i-1's minimum from above).
#include "rules/edit_distance.h"


#include <algorithm>
#include <string>
#include <vector>

namespace redirect::rules {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
  const std::size_t over = max == SIZE_MAX ? max : max + 1;
  const std::size_t n = b.size();
  std::vector<std::size_t> before(n + 1), prev(n + 1), cur(n + 1);
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return over;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[n], over);
}

std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c, limit);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace redirect::rules
