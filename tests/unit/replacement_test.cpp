// Replacement::expand against its reference, pcre2_substitute() (Regex::substitute_last_match):
// the same bytes, the same "does not fit" at every buffer size around the result. The cases
// cover each reference form, unset groups, text around the match, and the forms the parser
// leaves to PCRE2 ($*MARK, a name shared under (?J)).
#include "rules/replacement.h"

#include <doctest/doctest.h>

#include <string>

#include "rules/regex.h"

using redirect::rules::Regex;
using redirect::rules::Replacement;

namespace {

Regex compiled(std::string_view pattern) {
  Regex::Error error;
  std::optional<Regex> re = Regex::compile(pattern, error);
  REQUIRE_MESSAGE(re.has_value(), error.message);
  return std::move(*re);
}

struct Case {
  const char* pattern;
  const char* replacement;
  const char* subject;
  const char* expected;
  bool parsed = true;
};

const Case kCases[] = {
    {R"(^/etc(/.*)?$)", "/snap/app/x1/etc$1", "/etc/motd", "/snap/app/x1/etc/motd"},
    {R"(^/etc(/.*)?$)", "/snap/app/x1/etc$1", "/etc", "/snap/app/x1/etc"},  // unset group
    {R"(^(.*/)?TWO\.txt$)", "${1}ONE.txt", "/a/b/TWO.txt", "/a/b/ONE.txt"},
    {R"(^/v/(?<rest>.*)$)", "/real/${rest}/$rest/$$/$0", "/v/x", "/real/x/x/$//v/x"},
    {R"(b+)", "[$0]", "aabbbcc", "aa[bbb]cc"},  // text before and after the match is kept
    {R"((a)|(b))", "[$1|$2]", "xbx", "x[|b]x"},
    {R"(x)", "", "axb", "ab"},
    {R"(^(.*)$)", "$1$1$1$1", "/p", "/p/p/p/p"},
    {R"(^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)$)", "$11-${1}1-$10", "abcdefghijk", "k-a1-j"},
    {R"(^/(?J)(?<n>a)|(?<n>b)$)", "[$n]", "b", "[b]", false},  // PCRE2 picks the set group
    {R"(^(*MARK:here)/x$)", "$*MARK:${*MARK}", "/x", "here:here", false},
    {"^/\xff(.*)$", "/\xfe$1", "/\xff\x80", "/\xfe\x80"},  // bytes, not UTF-8
};

}  // namespace

TEST_CASE("replacement: expand gives pcre2_substitute's bytes at every buffer size") {
  for (const Case& c : kCases) {
    INFO(c.pattern, " -> ", c.replacement, " on ", c.subject);
    Regex::Error error;
    auto re = Regex::compile(c.pattern, error);
    REQUIRE_MESSAGE(re.has_value(), error.message);
    auto parsed = Replacement::parse(*re, c.replacement, error);
    REQUIRE_MESSAGE(parsed.has_value(), error.message);
    const Replacement& r = *parsed;
    CHECK(r.parsed() == c.parsed);
    REQUIRE(re->match(c.subject));
    std::string want(256, '\0');
    auto ref = re->substitute_last_match(c.subject, c.replacement, want);
    REQUIRE(ref.has_value());
    CHECK(want.substr(0, *ref) == c.expected);
    for (std::size_t size = 0; size <= *ref + 2; ++size) {
      std::string got(size + 8, '\x5a');
      auto n = r.expand(*re, c.subject, std::span(got.data(), size));
      INFO("buffer of ", size);
      CHECK(n.has_value() == (*ref + 1 <= size));
      if (n) {
        CHECK(got.substr(0, *n + 1) == want.substr(0, *ref + 1));
      }
      CHECK(got.substr(size) == std::string(8, '\x5a'));  // nothing written past the buffer
    }
  }
}

TEST_CASE("replacement: expand uses the last match, which a failed match clears") {
  Regex::Error error;
  auto re = Regex::compile("^/a(.*)$", error);
  REQUIRE(re);
  auto parsed = Replacement::parse(*re, "/b$1", error);
  REQUIRE(parsed);
  const Replacement& r = *parsed;
  REQUIRE(re->match("/a/x"));
  std::string out(64, '\0');
  CHECK(r.expand(*re, "/a/x", out) == 4);
  CHECK(out.substr(0, 4) == "/b/x");
  CHECK_FALSE(re->match("/c"));
  CHECK(re->last_match_ovector().empty());
}

TEST_CASE("replacement: parse accepts PCRE2's syntax and reports errors at the '$'") {
  Regex re = compiled("^/(a)/(?<rest>.*)$");
  Regex::Error ignored;
  CHECK(Replacement::parse(re, "/x/$1/${2}/$rest/${rest}/$$/$0/$*MARK", ignored).has_value());
  CHECK(Replacement::parse(re, "no references", ignored).has_value());

  auto error = [&](std::string_view replacement) {
    Regex::Error e;
    REQUIRE_FALSE(Replacement::parse(re, std::string(replacement), e).has_value());
    return std::make_pair(e.message, e.offset);
  };
  CHECK(error("/x/$3") ==
        std::make_pair(std::string("no group 3 in the pattern (it has 2)"), std::size_t{3}));
  CHECK(error("/x/${12}") ==
        std::make_pair(std::string("no group 12 in the pattern (it has 2)"), std::size_t{3}));
  CHECK(error("/${nope}") ==
        std::make_pair(std::string("no group named 'nope' in the pattern"), std::size_t{1}));
  CHECK(error("/$nope/") ==
        std::make_pair(std::string("no group named 'nope' in the pattern"), std::size_t{1}));
  CHECK(error("/x/$") ==
        std::make_pair(std::string("'$' at the end of the replacement (write '$$' for a '$')"),
                       std::size_t{3}));
  CHECK(error("/${1") == std::make_pair(std::string("missing '}' after '${'"), std::size_t{1}));
  CHECK(error("/${") == std::make_pair(std::string("missing '}' after '${'"), std::size_t{1}));
  CHECK(error("/${1x}") == std::make_pair(std::string("missing '}' after '${'"), std::size_t{1}));
  CHECK(
      error("/$-") ==
      std::make_pair(
          std::string(
              "'$' must be followed by a group number or name, '{' or '$' (write '$$' for a '$')"),
          std::size_t{1}));
  CHECK(error("/$*FOO") ==
        std::make_pair(std::string("unknown '$*FOO' (only '$*MARK' exists)"), std::size_t{1}));
  CHECK(error("/$99999") ==
        std::make_pair(std::string("group number too large after '$'"), std::size_t{1}));
}

TEST_CASE("replacement: parse agrees with pcre2_substitute on what is valid") {
  // Every replacement parse() accepts must substitute without throwing.
  Regex re = compiled("^/(a)/(?<rest>.*)$");
  Regex::Error ignored;
  for (std::string r : {"$1$2", "${1}0", "$rest.", "${rest}", "$$1", "x$0y"}) {
    CAPTURE(r);
    REQUIRE(Replacement::parse(re, r, ignored).has_value());
    REQUIRE(re.match("/a/b"));
    std::array<char, 64> out{};
    CHECK_NOTHROW((void)re.substitute_last_match("/a/b", r, out));
  }
}

