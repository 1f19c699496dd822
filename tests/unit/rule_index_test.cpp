// Tests of rules/rule_index.cpp: which literal prefix a pattern promises (and when it promises
// none), and that the index offers exactly the rules a linear scan would try first, in order.
#include "rules/rule_index.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "rules/regex.h"

using namespace redirect::rules;

TEST_CASE("rule_index: literal_prefix reads the anchored literal head of a pattern") {
  CHECK(literal_prefix(R"(^/etc/app/(.*)$)") == "/etc/app/");
  CHECK(literal_prefix(R"(^\/home\/a\.b\+c\/\.ssh(/|$))") == "/home/a.b+c/.ssh");
  CHECK(literal_prefix(R"(^/usr/share/zoneinfo(/.*)?$)") == "/usr/share/zoneinfo");
  CHECK(literal_prefix(R"(^/tmp/ab?c)") == "/tmp/a");   // 'b' is optional
  CHECK(literal_prefix(R"(^/tmp/ab*)") == "/tmp/a");
  CHECK(literal_prefix(R"(^/tmp/ab{2})") == "/tmp/a");
  CHECK(literal_prefix(R"(^/etc/(a|b)/x)") == "/etc/");  // '|' inside a group
  CHECK(literal_prefix(R"(^/a[|]b)") == "/a");           // '|' inside a class
  CHECK(literal_prefix("^/\xff/x") == "/\xff/x");         // bytes, not UTF-8
  // No promise: not anchored, a top-level alternative, syntax the reader does not follow.
  CHECK(literal_prefix(R"(/etc/app)") == "");
  CHECK(literal_prefix(R"((?i)^/etc)") == "");
  CHECK(literal_prefix(R"(^/etc/a|^/usr)") == "");
  CHECK(literal_prefix(R"(^/etc/a|/usr)") == "");
  CHECK(literal_prefix(R"(^/etc(?#|)x)") == "");
  CHECK(literal_prefix(R"(^\Q/etc\E)") == "");
  CHECK(literal_prefix(R"(^/etc(?x) # | )") == "");
  CHECK(literal_prefix(R"(^\d/x)") == "");
  CHECK(literal_prefix(R"(^.*)") == "");
}

TEST_CASE("rule_index: every string a pattern matches starts with its prefix") {
  const char* patterns[] = {
      R"(^/etc/app/(.*)$)", R"(^/a(b|c)d)", R"(^/a[]|]x)", R"(^/a[^]|]x)", R"(^/a[[:alpha:]|]x)",
      R"(^/ab?c)",          R"(^/a\.b)",    R"(^/a/(?:x|y)+z)",
  };
  const char* subjects[] = {"/etc/app/x", "/abd", "/acd", "/a]x", "/a|x", "/aqx", "/ac",
                            "/abc",       "/a.b", "/a/xyz", "/a/yz", "/zzz"};
  for (const char* pattern : patterns) {
    Regex::Error error;
    auto re = Regex::compile(pattern, error);
    REQUIRE_MESSAGE(re, pattern);
    const std::string prefix = literal_prefix(pattern);
    for (const char* s : subjects) {
      INFO(pattern, " on ", s, " prefix ", prefix);
      if (re->match(s)) CHECK(std::string_view(s).starts_with(prefix));
    }
  }
}

TEST_CASE("rule_index: candidates are those a linear scan would try, in order") {
  // Random prefixes over a small alphabet, so many are prefixes of each other; some rules
  // have none. For every string, the ids offered must be exactly the rules whose prefix starts
  // it (plus the unindexed), ascending.
  std::mt19937 rng(42);
  auto random_text = [&](std::size_t max) {
    std::string s;
    std::size_t n = rng() % (max + 1);
    for (std::size_t i = 0; i < n; ++i) s += "/ab"[rng() % 3];
    return s;
  };
  std::vector<std::string> prefixes;
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0; id < 300; ++id) {
    prefixes.push_back(random_text(5));
    if (rng() % 4 != 0) ids.push_back(id);  // not every rule names this slot
  }
  RuleIndex index(ids, prefixes);
  for (int round = 0; round < 2000; ++round) {
    const std::string value = random_text(8);
    std::vector<std::uint32_t> want, got;
    for (std::uint32_t id : ids)
      if (std::string_view(value).starts_with(prefixes[id])) want.push_back(id);
    bool found = index.find_first(value, [&](std::uint32_t id) {
      got.push_back(id);
      return false;
    });
    CHECK_FALSE(found);
    INFO("value '", value, "'");
    CHECK(got == want);
  }
  // find_first stops at the first rule that says yes.
  std::vector<std::uint32_t> tried;
  CHECK(index.find_first("/ab/ab", [&](std::uint32_t id) {
    tried.push_back(id);
    return tried.size() == 2;
  }));
  CHECK(tried.size() == 2);
}
