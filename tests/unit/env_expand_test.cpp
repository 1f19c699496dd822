// Tests of rules/env_expand.cpp: @{NAME} and @{NAME:-default}, literal in replace and quoted in
// match, the source position of every output byte, and each error with its column.
#include "rules/env_expand.h"

#include <doctest/doctest.h>

#include <map>

#include "rules/regex.h"

using namespace redirect::rules;

template <>
struct doctest::StringMaker<SourcePos> {
  static String convert(const SourcePos& p) {
    return (std::to_string(p.line) + ":" + std::to_string(p.column)).c_str();
  }
};

namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A one-line value whose byte i sits at line 3, column 10 + i (as if written after `x = '`).
LocatedText on_line_3(std::string_view text) {
  LocatedText t{std::string(text), {3, 9}, {}};
  for (std::size_t i = 0; i <= text.size(); ++i)
    t.positions.push_back({3, static_cast<std::uint32_t>(10 + i)});
  return t;
}

const EnvLookup lookup = fake_env({{"HOME", "/home/a.b+c"}, {"SNAP", "/snap/x/1"}, {"EMPTY", ""}, {"DOLLAR", "/snap/a$2b"}});

// expand_env() with a fresh context over `lookup` (nothing said yet).
std::optional<LocatedText> expand(const LocatedText& text, ExpandMode mode, Diagnostics& diags,
                                  UnsetVariables unset = UnsetVariables::error) {
  ExpandContext context{lookup, unset, {}};
  return expand_env(text, mode, context, "f.toml", diags);
}

std::string expand_ok(std::string_view text, ExpandMode mode) {
  Diagnostics diags;
  std::optional<LocatedText> out = expand(on_line_3(text), mode, diags);
  REQUIRE(diags.empty());
  REQUIRE(out.has_value());
  REQUIRE(out->positions.size() == out->value.size() + 1);
  return out->value;
}

// The single error of expanding `text`, as "L:C: message".
std::string expand_error(std::string_view text) {
  Diagnostics diags;
  std::optional<LocatedText> out =
      expand(on_line_3(text), ExpandMode::literal, diags);
  CHECK_FALSE(out.has_value());
  REQUIRE(diags.all().size() == 1);
  const Diagnostic& d = diags.all()[0];
  CHECK(d.path == "f.toml");
  CHECK(d.severity == Severity::error);
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message;
}

}  // namespace

TEST_CASE("env_expand: replace gets the value literally") {
  CHECK(expand_ok("@{SNAP}/etc/$1", ExpandMode::literal) == "/snap/x/1/etc/$1");
  CHECK(expand_ok("@{HOME}", ExpandMode::literal) == "/home/a.b+c");
  CHECK(expand_ok("no references", ExpandMode::literal) == "no references");
  // A '$' in a value must not become a group reference in the substitution.
  CHECK(expand_ok("@{DOLLAR}/$1", ExpandMode::literal) == "/snap/a$$2b/$1");
  CHECK(expand_ok("a@{SNAP}b@{HOME}c", ExpandMode::literal) == "a/snap/x/1b/home/a.b+cc");
}

TEST_CASE("env_expand: match gets the value quoted, so it matches only literally") {
  std::string pattern = expand_ok("^@{HOME}/\\.ssh(/|$)", ExpandMode::quoted);
  CHECK(pattern == "^\\/home\\/a\\.b\\+c/\\.ssh(/|$)");
  Regex::Error error;
  std::optional<Regex> re = Regex::compile(pattern, error);
  REQUIRE(re);
  CHECK(re->match("/home/a.b+c/.ssh/id_rsa"));
  CHECK_FALSE(re->match("/home/aXb+c/.ssh/id_rsa"));
  CHECK_FALSE(re->match("/home/a.bbc/.ssh/id_rsa"));
}

TEST_CASE("env_expand: defaults") {
  CHECK(expand_ok("@{SNAP_DATA:-/var/snap/hello/current}/links", ExpandMode::literal) ==
        "/var/snap/hello/current/links");
  CHECK(expand_ok("@{SNAP:-/default}", ExpandMode::literal) == "/snap/x/1");
  // As in the shell's ${NAME:-default}, an empty value takes the default too.
  CHECK(expand_ok("@{EMPTY:-d}", ExpandMode::literal) == "d");

  CHECK(expand_ok("@{NOPE:-}", ExpandMode::literal) == "");
  // A default is quoted in match like a value.
  CHECK(expand_ok("@{NOPE:-a.b}", ExpandMode::quoted) == "a\\.b");
}

TEST_CASE("env_expand: '@@{' and '@\\{' are not references") {
  CHECK(expand_ok("a@\\{b}", ExpandMode::quoted) == "a@\\{b}");
  // There is no escape: "@@{SNAP}" is '@' followed by a reference.
  CHECK(expand_ok("@@{SNAP}", ExpandMode::literal) == "@/snap/x/1");
  CHECK(expand_ok("a@b{c}@", ExpandMode::literal) == "a@b{c}@");
}

TEST_CASE("env_expand: every output byte knows its source column") {
  Diagnostics diags;
  // columns:            10  12     19 21     29
  std::optional<LocatedText> out =
      expand(on_line_3("a/@{SNAP}/b@{NOPE:-xy}"), ExpandMode::literal, diags);
  REQUIRE(out);
  REQUIRE(out->value == "a//snap/x/1/bxy");
  CHECK(out->pos == SourcePos{3, 9});
  CHECK(out->at(0) == SourcePos{3, 10});                                       // 'a'
  CHECK(out->at(1) == SourcePos{3, 11});                                       // '/'
  for (std::size_t i = 2; i < 11; ++i) CHECK(out->at(i) == SourcePos{3, 12});  // @{SNAP}
  CHECK(out->at(11) == SourcePos{3, 19});                                      // '/'
  CHECK(out->at(12) == SourcePos{3, 20});                                      // 'b'
  CHECK(out->at(13) == SourcePos{3, 29});                                      // 'x' of the default
  CHECK(out->at(14) == SourcePos{3, 30});                                      // 'y'
  CHECK(out->at(15) == SourcePos{3, 32});  // the end: after the '}'
}

TEST_CASE("env_expand: errors point at the '@'") {
  CHECK(expand_error("/x/@{NOPE}/y") ==
        "3:13: environment variable 'NOPE' is not set and has no default (write @{NOPE:-default})");
  CHECK(expand_error("/x/@{SNAP") == "3:13: '@{' without a closing '}'");
  CHECK(expand_error("@{}") == "3:10: invalid environment variable name '' in '@{}'");
  CHECK(expand_error("ab@{A-B}") == "3:12: invalid environment variable name 'A-B' in '@{A-B}'");
  CHECK(expand_error("@{1X:-d}") == "3:10: invalid environment variable name '1X' in '@{1X:-d}'");
  CHECK(expand_error("@{A:B}") == "3:10: invalid environment variable name 'A:B' in '@{A:B}'");
}

TEST_CASE("env_expand: every error of a string is reported") {
  Diagnostics diags;
  std::optional<LocatedText> out =
      expand(on_line_3("@{A}@{B}"), ExpandMode::literal, diags);
  CHECK_FALSE(out);
  REQUIRE(diags.all().size() == 2);
  CHECK(diags.all()[0].pos == SourcePos{3, 10});
  CHECK(diags.all()[1].pos == SourcePos{3, 14});
}

TEST_CASE("env_expand: without a position map, positions fall back to the value's") {
  Diagnostics diags;
  LocatedText text{"x@{NOPE}", {7, 5}, {}};
  CHECK_FALSE(expand(text, ExpandMode::literal, diags));
  REQUIRE(diags.all().size() == 1);
  CHECK(diags.all()[0].pos == SourcePos{7, 5});
}

TEST_CASE("env_expand: a set but empty variable without a default is a warning, once") {
  Diagnostics diags;
  ExpandContext context{lookup, UnsetVariables::error, {}};
  std::optional<LocatedText> out =
      expand_env(on_line_3("[@{EMPTY}]"), ExpandMode::literal, context, "f.toml", diags);
  REQUIRE(out);
  CHECK(out->value == "[]");
  REQUIRE(diags.all().size() == 1);
  CHECK(format_text(diags.all()[0]) ==
        "f.toml:3:11: warning: environment variable 'EMPTY' is set but empty: '@{EMPTY}' expands "
        "to nothing (write @{EMPTY:-default} or set it)");
  // The same context says it once, however often the variable is used.
  CHECK(expand_env(on_line_3("@{EMPTY}/x"), ExpandMode::literal, context, "f.toml", diags));
  CHECK(diags.all().size() == 1);
}

TEST_CASE("env_expand: an unset variable can become a placeholder and a note") {
  Diagnostics diags;
  ExpandContext context{lookup, UnsetVariables::placeholder, {}};
  std::optional<LocatedText> out =
      expand_env(on_line_3("@{NOPE}/etc/$1"), ExpandMode::literal, context, "f.toml", diags);
  REQUIRE(out);
  CHECK(out->value == "/UNSET/NOPE/etc/$1");
  CHECK_FALSE(diags.has_errors());
  CHECK(diags.warning_count() == 0);
  REQUIRE(diags.all().size() == 1);
  CHECK(format_text(diags.all()[0]) ==
        "f.toml:3:10: note: environment variable 'NOPE' is not set: checked with '/UNSET/NOPE' "
        "in its place (a run refuses it; give a value with -D NOPE=VALUE)");
  CHECK(expand_env(on_line_3("^@{NOPE}/"), ExpandMode::quoted, context, "f.toml", diags)->value ==
        "^\\/UNSET\\/NOPE/");
  CHECK(diags.all().size() == 1);
}

TEST_CASE("env_expand: an absolute path's trailing slashes go, so @{HOME}/x still matches") {
  const EnvLookup slashes = fake_env({{"HOME", "/root/"}, {"TWO", "/srv//"}, {"ROOT", "/"},
                                      {"REL", "rel/"}});
  auto expand_with = [&](std::string_view text, ExpandMode mode) {
    Diagnostics diags;
    ExpandContext context{slashes, UnsetVariables::error, {}};
    std::optional<LocatedText> out = expand_env(on_line_3(text), mode, context, "f.toml", diags);
    REQUIRE(out.has_value());
    return out->value;
  };
  CHECK(expand_with("^@{HOME}/x", ExpandMode::quoted) == "^\\/root/x");
  CHECK(expand_with("@{HOME}/x", ExpandMode::literal) == "/root/x");
  CHECK(expand_with("@{TWO}/x", ExpandMode::literal) == "/srv/x");
  CHECK(expand_with("@{UNSET:-/opt/}/x", ExpandMode::literal) == "/opt/x");
  CHECK(expand_with("@{ROOT}", ExpandMode::literal) == "/");
  CHECK(expand_with("@{REL}x", ExpandMode::literal) == "rel/x");  // not a path: as it is
  // The match it makes: HOME=/root/ and HOME=/root mean the same rule.
  Regex::Error error;
  auto re = Regex::compile(expand_with("^@{HOME}/x$", ExpandMode::quoted), error);
  REQUIRE(re.has_value());
  CHECK(re->match("/root/x"));
}
