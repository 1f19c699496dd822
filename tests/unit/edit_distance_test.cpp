// Tests of rules/edit_distance: the distance itself, its early exit, and the suggestions the
// loader prints after "unknown syscall".
#include "rules/edit_distance.h"

#include <doctest/doctest.h>

#include <array>
#include <string_view>

using namespace redirect::rules;

TEST_CASE("edit_distance: counts insertions, deletions, substitutions") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("openat", "openat") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("opnat", "openat") == 1);
  CHECK(edit_distance("openat", "opnat") == 1);
}

TEST_CASE("edit_distance: an adjacent swap is one edit") {
  CHECK(edit_distance("%fiel", "%file") == 1);
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("abc", "ca") == 3);  // optimal string alignment, not full Damerau
}

TEST_CASE("edit_distance: stops at max + 1") {
  CHECK(edit_distance("abcdef", "uvwxyz", 2) == 3);
  CHECK(edit_distance("abcdef", "uvwxyz", 0) == 1);
  CHECK(edit_distance("abcdef", "uvwxyz") == 6);
  CHECK(edit_distance("kitten", "sitting", 3) == 3);
  CHECK(edit_distance("kitten", "sitting", 10) == 3);
  CHECK(edit_distance("", "abcdef", 2) == 3);
}

TEST_CASE("edit_distance: closest candidate") {
  constexpr std::array<std::string_view, 4> candidates = {"open", "openat", "opena", "close"};
  CHECK(closest("openat", candidates) == "openat");
  CHECK(closest("openatt", candidates) == "openat");
  // "opent" is 1 from "open", "openat" and "opena": the first listed wins.
  CHECK(closest("opent", candidates) == "open");
  CHECK(closest("xyz", candidates) == std::nullopt);
  // Threshold max(1, size / 3): "clsoe" is one swap from "close"; "cl" is 3 from "close".
  CHECK(closest("clsoe", candidates) == "close");
  CHECK(closest("cl", candidates) == std::nullopt);
  CHECK(closest("anything", std::span<const std::string_view>{}) == std::nullopt);
}

