// below_dirfd: a rewrite of a walk confined to its dirfd is handed over relative to the
// dirfd's directory when it lies strictly below it, and not at all otherwise.
#include "rules/below_dirfd.h"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace redirect;

TEST_CASE("below_dirfd: below_directory") {
  CHECK(rules::below_directory("/w", "/w/snap/f") == "snap/f");
  CHECK(rules::below_directory("/w/", "/w/snap/f") == "snap/f");
  CHECK(rules::below_directory("/", "/etc/f") == "etc/f");
  CHECK_FALSE(rules::below_directory("/w", "/w"));       // the directory itself
  CHECK_FALSE(rules::below_directory("/w", "/w/"));
  CHECK_FALSE(rules::below_directory("/w", "/wx/f"));    // a sibling that shares the prefix
  CHECK_FALSE(rules::below_directory("/w/host", "/w/snap/f"));
  CHECK_FALSE(rules::below_directory("", "/w/f"));       // an absolute argument: never moved
}

TEST_CASE("below_dirfd: keep_below_dirfd moves the rewrite to the start of its buffer") {
  std::array<char, 64> out{};
  const std::string full = "/w/snap/f";
  std::copy(full.begin(), full.end(), out.begin());
  rules::Decision d;
  d.action = rules::Action::rewrite;
  d.replacement = std::string_view(out.data(), full.size());
  REQUIRE(rules::keep_below_dirfd("/w", d, out));
  CHECK(d.replacement == "snap/f");
  CHECK(d.replacement.data() == out.data());
  CHECK(out[6] == '\0');

  rules::Decision outside = d;
  outside.replacement = "/elsewhere/f";
  CHECK_FALSE(rules::keep_below_dirfd("/w", outside, out));
  CHECK(outside.replacement == "/elsewhere/f");
}
