// Tests of rules/loader.cpp: rule files from in-memory TOML, every loader error with its exact
// text, line and column, defaults, and positions of the values kept in Rule.
#include "rules/loader.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <map>

using namespace redirect::rules;

template <>
struct doctest::StringMaker<SourcePos> {
  static String convert(const SourcePos& p) {
    return (std::to_string(p.line) + ":" + std::to_string(p.column)).c_str();
  }
};

namespace {

EnvLookup fake_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> vars = {{"HOME", "/home/a.b+c"},
                                                                         {"SNAP", "/snap/hello/7"}};
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

struct Loaded {
  RuleFile file;
  std::vector<std::string> diags;  // format_text() of each, in order
};

Loaded load(std::string_view text) {
  Diagnostics diags;
  Loaded out{parse_rules("t.toml", text, fake_env(), diags), {}};
  for (const Diagnostic& d : diags.all()) out.diags.push_back(format_text(d));
  return out;
}

// The single diagnostic of `text`; every rule left must be marked broken.
std::string only_error(std::string_view text) {
  Loaded l = load(text);
  for (const Rule& r : l.file.rules) CHECK(r.broken);
  REQUIRE(l.diags.size() == 1);
  return l.diags[0];
}

const char* const good = R"(version = 1

[[rule]]
name = "config"
syscalls = ["%file", "openat"]
match = '^/etc/hello/(.*)$'
replace = '@{SNAP}/etc/hello/$1'
action = "rewrite"

[[rule]]
syscalls = ["symlinkat"]
args = [2, 0]
match = '^/tmp/links/(.*)$'
replace = '@{SNAP_DATA:-/var/snap/hello/current}/links/$1'

[[rule]]
name = "no-ssh-keys"
syscalls = ["%file"]
match = '^@{HOME}/\.ssh(/|$)'
action = "deny"
errno = "ENOENT"

[[rule]]
name = "deny-default"
syscalls = ["openat"]
match = '^/secret'
action = "deny"

[[rule]]
name = "let-through"
syscalls = ["openat"]
match = '^/usr/'
action = "allow"
)";

}  // namespace

TEST_CASE("loader: a valid file") {
  Loaded l = load(good);
  CHECK(l.diags.empty());
  REQUIRE(l.file.rules.size() == 5);
  CHECK(l.file.path == "t.toml");
  CHECK(l.file.source == good);

  const Rule& config = l.file.rules[0];
  CHECK(config.path == "t.toml");
  CHECK(config.index == 1);
  CHECK(config.pos == SourcePos{3, 1});
  CHECK(config.name.value == "config");
  CHECK(config.name.pos == SourcePos{4, 8});
  REQUIRE(config.syscalls.size() == 2);
  CHECK(config.syscalls[0].value == "%file");
  CHECK(config.syscalls[0].pos == SourcePos{5, 13});
  CHECK(config.syscalls[1].value == "openat");
  CHECK(config.syscalls[1].pos == SourcePos{5, 22});
  CHECK_FALSE(config.args.has_value());
  CHECK(config.match.value == "^/etc/hello/(.*)$");
  CHECK(config.match.pos == SourcePos{6, 9});
  CHECK(config.match.at(0) == SourcePos{6, 10});
  REQUIRE(config.replace.has_value());
  CHECK(config.replace->value == "/snap/hello/7/etc/hello/$1");
  CHECK(config.action.value == Action::rewrite);
  CHECK(config.action.pos == SourcePos{8, 10});
  CHECK_FALSE(config.errno_name.has_value());

  const Rule& links = l.file.rules[1];
  CHECK(links.name.value == "rule 2");
  CHECK(links.name.pos == SourcePos{10, 1});
  CHECK(links.index == 2);
  REQUIRE(links.args.has_value());
  REQUIRE(links.args->size() == 2);
  CHECK((*links.args)[0].value == 2);
  CHECK((*links.args)[0].pos == SourcePos{12, 9});
  CHECK((*links.args)[1].value == 0);
  CHECK(links.replace->value == "/var/snap/hello/current/links/$1");
  CHECK(links.action.value == Action::rewrite);

  const Rule& ssh = l.file.rules[2];
  CHECK(ssh.match.value == "^\\/home\\/a\\.b\\+c/\\.ssh(/|$)");
  CHECK(ssh.action.value == Action::deny);
  REQUIRE(ssh.errno_name.has_value());
  CHECK(ssh.errno_name->value == "ENOENT");
  CHECK(ssh.errno_name->pos == SourcePos{21, 9});
  CHECK(ssh.errno_value == ENOENT);
  CHECK_FALSE(ssh.replace.has_value());

  CHECK(l.file.rules[3].action.value == Action::deny);
  CHECK(l.file.rules[3].errno_value == EACCES);
  CHECK(l.file.rules[4].action.value == Action::allow);
  CHECK(l.file.rules[4].errno_value == 0);
}

TEST_CASE("loader: positions of pattern bytes") {
  SUBCASE("literal string") {
    Loaded l = load("[[rule]]\nsyscalls = ['openat']\nmatch = '^/a(b'\nreplace = 'x'\n");
    REQUIRE(l.file.rules.size() == 1);
    const LocatedText& m = l.file.rules[0].match;
    CHECK(m.at(0) == SourcePos{3, 10});  // '^'
    CHECK(m.at(3) == SourcePos{3, 13});  // '('
    CHECK(m.at(5) == SourcePos{3, 15});  // the end: the closing quote
  }
  SUBCASE("basic string with escapes") {
    Loaded l = load("[[rule]]\nsyscalls = ['openat']\nmatch = \"^/\\\\d\\t(\"\nreplace = 'x'\n");
    REQUIRE(l.file.rules.size() == 1);
    const LocatedText& m = l.file.rules[0].match;
    REQUIRE(m.value == "^/\\d\t(");
    CHECK(m.at(2) == SourcePos{3, 12});  // '\' from "\\"
    CHECK(m.at(3) == SourcePos{3, 14});  // 'd'
    CHECK(m.at(4) == SourcePos{3, 15});  // tab from "\t"
    CHECK(m.at(5) == SourcePos{3, 17});  // '('
  }
  SUBCASE("multi-line literal string") {
    Loaded l = load("[[rule]]\nsyscalls = ['openat']\nmatch = '''\n^/a\n(b'''\nreplace = 'x'\n");
    REQUIRE(l.file.rules.size() == 1);
    const LocatedText& m = l.file.rules[0].match;
    REQUIRE(m.value == "^/a\n(b");
    CHECK(m.at(0) == SourcePos{4, 1});
    CHECK(m.at(4) == SourcePos{5, 1});
  }
  SUBCASE("multi-line strings with CRLF, escapes and a line-ending backslash") {
    Loaded l = load(
        "[[rule]]\r\nsyscalls = ['openat']\r\nmatch = \"\"\"\r\n^/a\\\r\n  \\t(b\"\"\"\r\n"
        "replace = '''\r\nx\r\ny'''\r\n");
    REQUIRE(l.file.rules.size() == 1);
    const LocatedText& m = l.file.rules[0].match;
    REQUIRE(m.value == "^/a\t(b");
    CHECK(m.at(3) == SourcePos{5, 3});  // "\t"
    CHECK(m.at(4) == SourcePos{5, 5});  // '('
    const LocatedText& r = *l.file.rules[0].replace;
    REQUIRE(r.value == "x\ny");
    CHECK(r.at(2) == SourcePos{8, 1});
  }
  SUBCASE("after an @{VAR}") {
    Loaded l = load("[[rule]]\nsyscalls = ['openat']\nmatch = '@{HOME}/(x'\nreplace = 'x'\n");
    REQUIRE(l.file.rules.size() == 1);
    const LocatedText& m = l.file.rules[0].match;
    CHECK(m.at(0) == SourcePos{3, 10});                   // part of the value: the '@'
    CHECK(m.at(m.value.size() - 2) == SourcePos{3, 18});  // '('
  }
}

TEST_CASE("loader: TOML syntax errors") {
  CHECK(only_error("[[rule]]\nname = \"x\nmatch = 'a'\n") ==
        "t.toml:2:10: error: unterminated string (no closing quote on this line)");
  CHECK(only_error("[[rule]]\r\nname = 'x\r\nmatch = 'a'\n") ==
        "t.toml:2:10: error: unterminated string (no closing quote on this line)");
  CHECK(only_error("name = \"a\x01b\"\n") ==
        "t.toml:1:10: error: invalid string: unescaped control characters other than TAB (U+0009) "
        "are explicitly prohibited");
  CHECK(only_error("version = 1\nversion = 1\n") ==
        "t.toml:2:11: error: invalid key-value pair: cannot redefine existing integer 'version'");
  CHECK(only_error("rule = \n") ==
        "t.toml:1:8: error: invalid key-value pair: expected value, saw '\\n'");
}

TEST_CASE("loader: empty file, or no rules, is a warning") {
  for (std::string_view text : {"", "# just a comment\n", "version = 1\n", "rule = []\n"}) {
    CAPTURE(text);
    Loaded l = load(text);
    CHECK(l.file.rules.empty());
    CHECK(l.diags == std::vector<std::string>{"t.toml: warning: no rules in this file"});
  }
}

TEST_CASE("loader: top-level keys") {
  const std::string no_rules = "t.toml: warning: no rules in this file";
  CHECK(load("version = 2\n").diags ==
        std::vector<std::string>{"t.toml:1:11: error: unsupported version 2 (only 1 exists)",
                                 no_rules});
  CHECK(load("version = '1'\n").diags ==
        std::vector<std::string>{"t.toml:1:11: error: 'version' must be an integer, not a string",
                                 no_rules});
  CHECK(load("rules = 1\n").diags ==
        std::vector<std::string>{"t.toml:1:1: error: unknown key 'rules' (did you mean 'rule'?)",
                                 "t.toml: warning: no rules in this file"});
  CHECK(load("zzz = 1\n").diags[0] == "t.toml:1:1: error: unknown key 'zzz'");
  CHECK(only_error("[rule]\nmatch = 'x'\n") ==
        "t.toml:1:1: error: 'rule' must be an array of tables ([[rule]]), not a table");
  CHECK(only_error("rule = [1]\n") ==
        "t.toml:1:9: error: each 'rule' must be a table, not an integer");
}

TEST_CASE("loader: unknown rule key, with did-you-mean") {
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmtach = '^/a'\nmatch = "
                   "'^/b'\nreplace = 'x'\n") ==
        "t.toml:4:1: error: unknown key 'mtach' in rule 'config' (did you mean 'match'?)");
  CHECK(only_error("[[rule]]\nsyscall = ['openat']\nmatch = '^/b'\nreplace = 'x'\nsyscalls = "
                   "['openat']\n") ==
        "t.toml:2:1: error: unknown key 'syscall' in rule 1 (did you mean 'syscalls'?)");
  CHECK(
      only_error("[[rule]]\nsyscalls = ['openat']\nmatch = '^/b'\nreplace = 'x'\nflavour = 1\n") ==
      "t.toml:5:1: error: unknown key 'flavour' in rule 1");
}

TEST_CASE("loader: missing keys are reported at the [[rule]] header") {
  CHECK(only_error(
            "version = 1\n\n[[rule]]\nname = 'config'\nsyscalls = ['openat']\nreplace = 'x'\n") ==
        "t.toml:3:1: error: rule 'config' has no 'match'");
  CHECK(only_error("[[rule]]\nname = 'config'\nmatch = '^/a'\nreplace = 'x'\n") ==
        "t.toml:1:1: error: rule 'config' has no 'syscalls'");
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = '^/a'\n") ==
        "t.toml:1:1: error: rule 'config' has no 'replace' (required for action = \"rewrite\")");
  CHECK(load("[[rule]]\n").diags ==
        std::vector<std::string>{
            "t.toml:1:1: error: rule 1 has no 'syscalls'",
            "t.toml:1:1: error: rule 1 has no 'match'",
            "t.toml:1:1: error: rule 1 has no 'replace' (required for action = \"rewrite\")"});
}

TEST_CASE("loader: wrong value types") {
  const std::string head = "[[rule]]\nname = 'config'\nsyscalls = ['openat']\nreplace = 'x'\n";
  CHECK(only_error(head + "match = 1\n") ==
        "t.toml:5:9: error: rule 'config': 'match' must be a string, not an integer");
  CHECK(only_error(head + "match = '^/a'\naction = true\n") ==
        "t.toml:6:10: error: rule 'config': 'action' must be a string, not a boolean");
  CHECK(only_error(
            "[[rule]]\nname = 'config'\nsyscalls = 'openat'\nmatch = '^/a'\nreplace = 'x'\n") ==
        "t.toml:3:12: error: rule 'config': 'syscalls' must be an array of strings, not a string");
  CHECK(
      only_error(
          "[[rule]]\nname = 'config'\nsyscalls = ['openat', 3]\nmatch = '^/a'\nreplace = 'x'\n") ==
      "t.toml:3:23: error: rule 'config': each entry of 'syscalls' must be a string, not an "
      "integer");
  CHECK(only_error(head + "match = '^/a'\nargs = 1\n") ==
        "t.toml:6:8: error: rule 'config': 'args' must be an array of integers, not an integer");
  CHECK(only_error(head + "match = '^/a'\nargs = [1, '2']\n") ==
        "t.toml:6:12: error: rule 'config': each entry of 'args' must be an integer, not a string");
  CHECK(only_error(head + "match = '^/a'\nargs = [-1]\n") ==
        "t.toml:6:9: error: rule 'config': argument index -1 is out of range (0 to 5)");
  CHECK(only_error(head + "match = '^/a'\nargs = [6]\n") ==
        "t.toml:6:9: error: rule 'config': argument index 6 is out of range (0 to 5)");
  CHECK(only_error("[[rule]]\nname = 1\nsyscalls = ['openat']\nmatch = '^/a'\nreplace = 'x'\n") ==
        "t.toml:2:8: error: rule 1: 'name' must be a string, not an integer");
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = '^/a'\naction = "
                   "'deny'\nerrno = 13\n") ==
        "t.toml:6:9: error: rule 'config': 'errno' must be a string (an errno name like "
        "\"EACCES\"), not an integer");
}

TEST_CASE("loader: empty arrays") {
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = []\nmatch = '^/a'\nreplace = 'x'\n") ==
        "t.toml:3:12: error: rule 'config': 'syscalls' is empty");
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nargs = []\nmatch = "
                   "'^/a'\nreplace = 'x'\n") ==
        "t.toml:4:8: error: rule 'config': 'args' is empty");
}

TEST_CASE("loader: action") {
  const std::string head = "[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = '^/a'\n";
  CHECK(only_error(head + "replace = 'x'\naction = 'rewirte'\n") ==
        "t.toml:6:10: error: unknown action 'rewirte' (expected rewrite, deny or allow; did you "
        "mean 'rewrite'?)");
  CHECK(only_error(head + "action = 'block'\n") ==
        "t.toml:5:10: error: unknown action 'block' (expected rewrite, deny or allow)");
  CHECK(only_error(head + "replace = '/b'\naction = 'deny'\n") ==
        "t.toml:5:11: error: 'replace' is not allowed with action = \"deny\"");
  CHECK(only_error(head + "replace = '/b'\naction = 'allow'\n") ==
        "t.toml:5:11: error: 'replace' is not allowed with action = \"allow\"");
}

TEST_CASE("loader: errno") {
  const std::string head = "[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = '^/a'\n";
  CHECK(only_error(head + "action = 'deny'\nerrno = 'EACESS'\n") ==
        "t.toml:6:9: error: unknown errno name 'EACESS' (did you mean 'EACCES'?)");
  CHECK(only_error(head + "action = 'deny'\nerrno = 'NOPE_NOPE_NOPE'\n") ==
        "t.toml:6:9: error: unknown errno name 'NOPE_NOPE_NOPE'");
  CHECK(only_error(head + "action = 'deny'\nerrno = 'eacces'\n") ==
        "t.toml:6:9: error: unknown errno name 'eacces'");
  CHECK(only_error(head + "replace = '/b'\nerrno = 'EPERM'\n") ==
        "t.toml:6:9: error: 'errno' is only allowed with action = \"deny\"");
  CHECK(only_error(head + "action = 'allow'\nerrno = 'EPERM'\n") ==
        "t.toml:6:9: error: 'errno' is only allowed with action = \"deny\"");

  for (const auto& errno_pair : {std::pair{"EPERM", EPERM},
                                 {"ENOENT", ENOENT},
                                 {"EROFS", EROFS},
                                 {"EWOULDBLOCK", EAGAIN},
                                 {"ENOTSUP", EOPNOTSUPP},
                                 {"EHWPOISON", EHWPOISON}}) {
    const auto& [name, value] = errno_pair;  // not captured: clang < 16 cannot
    CAPTURE(errno_pair.first);
    Loaded l = load(head + "action = 'deny'\nerrno = '" + name + "'\n");
    CHECK(l.diags.empty());
    REQUIRE(l.file.rules.size() == 1);
    CHECK(l.file.rules[0].errno_value == value);
  }
}

TEST_CASE("loader: @{VAR} problems point at the '@' in the file") {
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = '^/a/(.*)'\nreplace "
                   "= '/x/@{NOPE}/$1'\n") ==
        "t.toml:5:15: error: environment variable 'NOPE' is not set and has no default (write "
        "@{NOPE:-default})");
  CHECK(only_error("[[rule]]\nname = 'config'\nsyscalls = ['openat']\nmatch = "
                   "\"^\\t@{HOME\"\nreplace = 'x'\n") ==
        "t.toml:4:13: error: '@{' without a closing '}'");
}

TEST_CASE("loader: a bad rule is left out, the others are kept, all errors reported in order") {
  Loaded l = load(R"([[rule]]
name = "ok"
syscalls = ["openat"]
match = '^/a'
action = "allow"

[[rule]]
name = "bad"
syscalls = ["openat"]
mtach = '^/a'
action = "deny"
errno = "EACESS"

[[rule]]
syscalls = ["openat"]
match = '^/b'
action = "allow"
)");
  REQUIRE(l.file.rules.size() == 3);
  CHECK(l.file.rules[0].name.value == "ok");
  CHECK_FALSE(l.file.rules[0].broken);
  CHECK(l.file.rules[1].broken);
  CHECK(l.file.rules[2].name.value == "rule 3");
  CHECK(l.file.rules[2].index == 3);
  CHECK_FALSE(l.file.rules[2].broken);
  CHECK(l.diags ==
        std::vector<std::string>{
            "t.toml:7:1: error: rule 'bad' has no 'match'",
            "t.toml:10:1: error: unknown key 'mtach' in rule 'bad' (did you mean 'match'?)",
            "t.toml:12:9: error: unknown errno name 'EACESS' (did you mean 'EACCES'?)"});
}

TEST_CASE("loader: inline tables in 'rule' work too") {
  Loaded l = load("rule = [{ syscalls = ['openat'], match = '^/a', action = 'allow' }]\n");
  CHECK(l.diags.empty());
  REQUIRE(l.file.rules.size() == 1);
  CHECK(l.file.rules[0].match.at(0) == SourcePos{1, 43});
}

TEST_CASE("loader: load_rule_file") {
  Diagnostics diags;
  RuleFile f = load_rule_file("/nonexistent/rules.toml", fake_env(), diags);
  CHECK(f.rules.empty());
  REQUIRE(diags.all().size() == 1);
  CHECK(format_text(diags.all()[0]) ==
        "/nonexistent/rules.toml: error: cannot read file: No such file or directory");

  Diagnostics diags2;
  RuleFile seed =
      load_rule_file(REDIRECT_SOURCE_DIR "/tests/invalid/unknown-key.toml", fake_env(), diags2);
  CHECK(seed.source.find("mtach") != std::string::npos);
  CHECK(diags2.has_errors());
}

TEST_CASE("loader: process_env reads the environment") {
  EnvLookup env = process_env();
  ::setenv("REDIRECT_LOADER_TEST", "v", 1);
  CHECK(env("REDIRECT_LOADER_TEST") == "v");
  ::unsetenv("REDIRECT_LOADER_TEST");
  CHECK(env("REDIRECT_LOADER_TEST") == std::nullopt);
}
