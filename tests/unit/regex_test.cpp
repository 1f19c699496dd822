// Tests of rules/regex.cpp: compile errors with offsets, byte (non-UTF-8) matching, substitution
// into a fixed buffer and quoting (replacement parsing: replacement_test.cpp).
#include "rules/regex.h"

#include <doctest/doctest.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <stdexcept>
#include <string>

using redirect::rules::Regex;

namespace {

Regex compiled(std::string_view pattern) {
  Regex::Error error;
  std::optional<Regex> re = Regex::compile(pattern, error);
  REQUIRE_MESSAGE(re.has_value(), error.message);
  return std::move(*re);
}

// match() then substitute_last_match() into a buffer of `size` bytes.
std::optional<std::string> rewrite(std::string_view pattern, std::string_view replacement,
                                   std::string_view subject, std::size_t size = 256) {
  Regex re = compiled(pattern);
  if (!re.match(subject)) return std::nullopt;
  std::string out(size, '\xAA');
  std::optional<std::size_t> n = re.substitute_last_match(subject, replacement, out);
  if (!n) return std::nullopt;
  REQUIRE(*n < size);
  CHECK(out[*n] == '\0');
  return out.substr(0, *n);
}

}  // namespace

TEST_CASE("regex: compile error carries PCRE2's message and offset") {
  Regex::Error error;
  CHECK_FALSE(Regex::compile("^/etc/(foo", error).has_value());
  CHECK(error.message == "missing closing parenthesis");
  CHECK(error.offset == 10);

  CHECK_FALSE(Regex::compile("ab[", error).has_value());
  CHECK(error.message == "missing terminating ] for character class");
  CHECK(error.offset == 3);
}

TEST_CASE("regex: (*UTF) is refused, patterns are bytes") {
  Regex::Error error;
  CHECK_FALSE(Regex::compile("(*UTF)a", error).has_value());
  CHECK(error.message == "using UTF is disabled by the application");
}

TEST_CASE("regex: matches non-UTF-8 bytes as bytes") {
  Regex re = compiled("^/tmp/\\xff(.)\\xfe$");
  CHECK(re.match("/tmp/\xff\x80\xfe"));
  CHECK_FALSE(re.match("/tmp/\xff\x80\x80\xfe"));
  // '.' is one byte, not one UTF-8 character.
  Regex dot = compiled("^/a/.$");
  CHECK(dot.match("/a/\xc3"));
  CHECK_FALSE(dot.match("/a/\xc3\xa9"));
}

TEST_CASE("regex: uses the JIT when PCRE2 has it, from the first match") {
  uint32_t has_jit = 0;
  REQUIRE(pcre2_config(PCRE2_CONFIG_JIT, &has_jit) == 0);
  Regex re = compiled("^/etc/");
  CHECK_FALSE(re.jit());  // not before the first match: most rules of a large file never match
  CHECK(re.match("/etc/x"));
  CHECK(re.jit() == (has_jit == 1));
}

TEST_CASE("regex: capture_count") {
  CHECK(compiled("^/a$").capture_count() == 0);
  CHECK(compiled("^/(a)(?<rest>.*)(?:x)$").capture_count() == 2);
}

TEST_CASE("regex: substitution") {
  SUBCASE("$1") {
    CHECK(rewrite("^/etc/hello/(.*)$", "/snap/etc/hello/$1", "/etc/hello/a.conf") ==
          "/snap/etc/hello/a.conf");
  }
  SUBCASE("${1} followed by a digit") { CHECK(rewrite("^/v(\\d)$", "/w${1}0", "/v3") == "/w30"); }
  SUBCASE("${name} and $name") {
    CHECK(rewrite("^/home/(?<user>[^/]+)/(?<rest>.*)$", "/users/${user}/$rest", "/home/ann/x/y") ==
          "/users/ann/x/y");
  }
  SUBCASE("$$ is a dollar") { CHECK(rewrite("^/a/(.*)$", "/b/$$$1", "/a/x") == "/b/$x"); }
  SUBCASE("only the match is replaced") {
    CHECK(rewrite("ONE", "TWO", "/d/ONE.txt") == "/d/TWO.txt");
  }
  SUBCASE("unset group is empty") { CHECK(rewrite("^/(a)?b$", "/[$1]", "/b") == "/[]"); }
  SUBCASE("non-UTF-8 bytes pass through") {
    CHECK(rewrite("^/x/(.*)$", "/y/\xfe$1", "/x/\xff\x80") == "/y/\xfe\xff\x80");
  }
  SUBCASE("no match") { CHECK(rewrite("^/etc/", "/x", "/usr/etc/") == std::nullopt); }
}

TEST_CASE("regex: substitution that does not fit is nullopt") {
  // "/0123456789" is 11 bytes and needs a 12th for the NUL.
  CHECK(rewrite("^/(.*)$", "/$1", "/0123456789", 12) == "/0123456789");
  CHECK(rewrite("^/(.*)$", "/$1", "/0123456789", 11) == std::nullopt);
  CHECK(rewrite("^/(.*)$", "/long/prefix/$1", "/0123456789", 16) == std::nullopt);
}

TEST_CASE("regex: the match is reused, not redone") {
  Regex re = compiled("^/(\\w+)/");
  CHECK(re.match("/first/x"));
  std::array<char, 64> out{};
  std::optional<std::size_t> n = re.substitute_last_match("/first/x", "[$1]", out);
  REQUIRE(n);
  CHECK(std::string(out.data(), *n) == "[first]x");
  // A second match replaces the remembered one.
  CHECK(re.match("/second/y"));
  n = re.substitute_last_match("/second/y", "[$1]", out);
  REQUIRE(n);
  CHECK(std::string(out.data(), *n) == "[second]y");
}

TEST_CASE("regex: quote makes any text match literally") {
  CHECK(Regex::quote("/home/a.b+c") == "\\/home\\/a\\.b\\+c");
  CHECK(Regex::quote("plain_Name09") == "plain_Name09");
  for (std::string_view text :
       {"/home/a.b+c", "a\\Eb(c)[d]{2}|^$*?", "sp ace#x", "tab\there", "\xff\xfe/\xc3\xa9"}) {
    CAPTURE(text);
    std::string pattern = "^" + Regex::quote(text) + "$";
    Regex re = compiled(pattern);
    CHECK(re.match(text));
    Regex extended = compiled("(?x)" + pattern);  // spaces and '#' still literal
    CHECK(extended.match(text));
  }
  Regex re = compiled("^" + Regex::quote("/home/a.b+c") + "$");
  CHECK_FALSE(re.match("/home/aXbbc"));
}

TEST_CASE("regex: substituting without a match is a caller bug") {
  Regex re = compiled("^/a/(.*)$");
  std::array<char, 64> out{};
  CHECK_THROWS_AS((void)re.substitute_last_match("/a/x", "$1", out), std::logic_error);
  CHECK_FALSE(re.match("/b/x"));
  CHECK_THROWS_AS((void)re.substitute_last_match("/b/x", "$1", out), std::logic_error);
  REQUIRE(re.match("/a/x"));
  CHECK_THROWS_AS((void)re.substitute_last_match("/a/x", "$9", out), std::logic_error);
}

TEST_CASE("regex: a match that hits the match limit is an error, not a no-match") {
  // (a+)+b backtracks exponentially on a run of a's with no b: 2^30 ways, past the limit.
  Regex re = compiled("^/d/(a+)+b|^/d/a+c$");
  const std::string path = "/d/" + std::string(30, 'a') + "c";
  CHECK(re.try_match(path) == Regex::Outcome::error);
  CHECK(re.error_message() == "match limit exceeded");
  CHECK_FALSE(re.match(path));
  // The same pattern decides a short path, and says no error then.
  CHECK(re.try_match("/d/aaac") == Regex::Outcome::match);
  CHECK(re.error_message().empty());
  CHECK(re.try_match("/e/aaac") == Regex::Outcome::no_match);
}

TEST_CASE("regex: a MatchState keeps its own match, in the caller's memory") {
  Regex re = compiled("^/etc/(app)/(.*)$");
  const bool jit = re.prepare();
  CHECK(jit == re.jit());
  alignas(16) std::array<std::byte, redirect::rules::MatchState::memory_needed(4)> mem_a, mem_b;
  redirect::rules::MatchState a(4, mem_a), b(4, mem_b);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(re.try_match("/etc/app/x.conf", &a) == Regex::Outcome::match);
  REQUIRE(re.try_match("/etc/app/longer/y.conf", &b) == Regex::Outcome::match);
  // Neither state nor the Regex's own was disturbed by the other match.
  CHECK(re.last_match_ovector(&a)[5] == 15);
  CHECK(re.last_match_ovector(&b)[5] == 22);
  CHECK(re.last_match_ovector().empty());
  std::string out(64, '\xAA');
  std::optional<std::size_t> n = re.substitute_last_match("/etc/app/x.conf", "/snap/$1/$2", out, &a);
  REQUIRE(n.has_value());
  CHECK(out.substr(0, *n) == "/snap/app/x.conf");
}

TEST_CASE("regex: a MatchState in too little memory says so") {
  alignas(16) std::array<std::byte, 64> small;
  redirect::rules::MatchState s(4, small);
  CHECK_FALSE(s.ok());
}
