// lint: warnings for rules that can never decide.
#include "rules/lint.h"

#include <doctest/doctest.h>

#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

std::string lint_text(std::string_view toml) {
  rules::Diagnostics diags;
  auto files = test::parse(toml, diags);
  rules::Diagnostics compile_errors;  // what compiling reports is not lint's to assert here
  rules::lint_rules(rules::compile_rules(files, compile_errors), diags);
  return test::text_of(diags);
}

}  // namespace

TEST_CASE("lint: catch-all patterns") {
  // A catch-all first shadows any later rule on the same syscall; another pattern does not.
  auto shadows = [](std::string p) {
    std::string toml = "[[rule]]\nsyscalls = ['openat']\nmatch = '" + p +
                       "'\naction = 'allow'\n[[rule]]\nsyscalls = ['openat']\nmatch = "
                       "'^/zz/later$'\naction = 'allow'\n";
    return lint_text(toml).find("matches every string") != std::string::npos;
  };
  for (auto p : {"", ".*", "^", "^.*$", "(.*)", "x*", "^(.*)$"}) {
    INFO(p);
    CHECK(shadows(p));
  }
  for (auto p : {"^/", "^/etc/", ".+", "^$", "a", "^[^/]"}) {
    INFO(p);
    CHECK_FALSE(shadows(p));
  }
}

TEST_CASE("lint: an earlier catch-all on the same syscalls shadows a later rule") {
  CHECK(lint_text(R"([[rule]]
name = "everything"
syscalls = ["%file"]
match = '^(.*)$'
action = "allow"

[[rule]]
name = "config"
syscalls = ["openat"]
match = '^/etc/app/(.*)$'
replace = '/snap/etc/$1'
)") == "test.toml:7:1: warning: rule 'config' never decides: rule 'everything' (test.toml:1) "
       "comes first and matches every string\n");
}

TEST_CASE("lint: a catch-all on other syscalls shadows nothing") {
  CHECK(lint_text(R"([[rule]]
syscalls = ["%stat"]
match = '.*'
action = "allow"

[[rule]]
syscalls = ["openat"]
match = '^/etc/'
replace = '/x/'
)") == "");
}

TEST_CASE("lint: the same pattern twice on the same targets") {
  CHECK(lint_text(R"([[rule]]
name = "a"
syscalls = ["openat", "open"]
match = '^/etc/'
replace = '/x/'

[[rule]]
name = "b"
syscalls = ["openat"]
match = '^/etc/'
action = "deny"
)") == "test.toml:7:1: warning: rule 'b' never decides: rule 'a' (test.toml:1) comes first "
       "and has the same pattern\n");
}

TEST_CASE("lint: a whole-call rule must match the empty string") {
  CHECK(lint_text(R"([[rule]]
name = "no-uring"
syscalls = ["io_uring_setup"]
match = '.+'
action = "deny"
)") == "test.toml:4:9: warning: rule 'no-uring' names a syscall without strings, where the "
       "pattern is matched against \"\"; this pattern never matches it (write match = '')\n");
  CHECK(lint_text(R"([[rule]]
syscalls = ["io_uring_setup"]
match = ''
action = "deny"
)") == "");
}

TEST_CASE("lint: a rewrite whose result the same rule rewrites again") {
  CHECK(lint_text(R"([[rule]]
name = "tmp"
syscalls = ["%file"]
match = '^/tmp/(.*)$'
replace = '/tmp/snap/$1'
)") == "test.toml:5:11: warning: the result of rule 'tmp' is rewritten again by itself: "
       "\"/tmp/x\" becomes \"/tmp/snap/x\", and a program that passes that path back (after "
       "getcwd, readlink or realpath) gets \"/tmp/snap/snap/x\"\n");
}

TEST_CASE("lint: a rewrite whose result an earlier rule rewrites") {
  CHECK(lint_text(R"([[rule]]
name = "data"
syscalls = ["openat"]
match = '^/data(/.*)?$'
replace = '/srv/data$1'

[[rule]]
name = "cache"
syscalls = ["openat"]
match = '^/cache(/.*)?$'
replace = '/data/cache$1'
)") == "test.toml:11:11: warning: the result of rule 'cache' is rewritten again by rule 'data' "
       "(test.toml:1): \"/cache/x\" becomes \"/data/cache/x\", and a program that passes that "
       "path back (after getcwd, readlink or realpath) gets \"/srv/data/cache/x\"\n");
}

TEST_CASE("lint: results that no rule changes again are fine") {
  CHECK(lint_text(R"([[rule]]
name = "etc"
syscalls = ["%file"]
match = '^/etc/app(/.*)?$'
replace = '/snap/app/etc/app$1'

[[rule]]
name = "same"
syscalls = ["%file"]
match = '^/usr/(.*)$'
replace = '/usr/$1'

[[rule]]
name = "other-syscalls"
syscalls = ["execve"]
match = '^/bin/(.*)$'
replace = '/tmp/x'

[[rule]]
name = "x"
syscalls = ["openat"]
match = '^/tmp/x$'
replace = '/tmp/y'
)") == "");
}
