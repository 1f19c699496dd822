// Matcher: table lookup by native number and argument, first match decides, per-arch numbers.
#include "rules/matcher.h"

#include <asm/unistd_64.h>
#include <cerrno>
#include <doctest/doctest.h>
#include <linux/audit.h>

#include "tests/unit/rules_fixture.h"

using namespace redirect;
using Kind = rules::Action;

namespace {


std::string compile_errors(std::string_view toml) {
  rules::Diagnostics diags;
  auto files = test::parse(toml, diags);
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  CHECK_FALSE(m.has_value());
  return test::text_of(diags);
}

constexpr std::string_view kSeed = R"(
[[rule]]
name = "two"
syscalls = ["%file"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'
)";

}  // namespace

TEST_CASE("matcher: the seed rule rewrites openat's path argument only") {
  auto m = test::compile_ok(kSeed);
  auto args = m.find(__NR_openat).args();
  REQUIRE(args.size() == 1);
  CHECK(args[0] == 1);
  auto o = test::decide(m, __NR_openat, 1, "dir/TWO.txt");
  CHECK(o.action == Kind::rewrite);
  CHECK(o.value == "dir/ONE.txt");
  CHECK(o.rule == "two");
  CHECK(test::decide(m, __NR_openat, 1, "THREE.txt").action == Kind::none);
  // A syscall no rule names, a negative number, a huge one: nothing to do, no crash.
  CHECK(m.find(__NR_getpid).args().empty());
  CHECK(m.find(-1).args().empty());
  CHECK(m.find(1 << 20).args().empty());
  CHECK(test::decide(m, -1, 1, "TWO.txt").action == Kind::none);
}

TEST_CASE("matcher: traced numbers are the class members that exist on the arch") {
  auto m = test::compile_ok(kSeed);
  const auto& nrs = m.traced_numbers();
  CHECK(std::is_sorted(nrs.begin(), nrs.end()));
  CHECK(std::adjacent_find(nrs.begin(), nrs.end()) == nrs.end());
  for (int nr : {__NR_open, __NR_openat, __NR_execve, __NR_stat, __NR_newfstatat, __NR_rename,
                 __NR_symlinkat, __NR_statx})
    CHECK(std::binary_search(nrs.begin(), nrs.end(), nr));
  CHECK_FALSE(std::binary_search(nrs.begin(), nrs.end(), __NR_read));
  CHECK_FALSE(std::binary_search(nrs.begin(), nrs.end(), __NR_fstat));
  // symlinkat: both the target (0) and the link name (2) are paths.
  auto args = m.find(__NR_symlinkat).args();
  REQUIRE(args.size() == 2);
  CHECK(args[0] == 0);
  CHECK(args[1] == 2);
  CHECK(m.syscall_name(__NR_openat) == "openat");
}

TEST_CASE("matcher: first match decides, in file order") {
  auto m = test::compile_ok(R"(
[[rule]]
name = "keep-secret"
syscalls = ["openat"]
match = '^/etc/app/secret$'
action = "allow"

[[rule]]
name = "no-ssh"
syscalls = ["openat"]
match = '^/home/user/\.ssh(/|$)'
action = "deny"
errno = "ENOENT"

[[rule]]
name = "etc"
syscalls = ["openat"]
match = '^/etc/app/(.*)$'
replace = '/snap/app/etc/$1'

[[rule]]
name = "never"
syscalls = ["openat"]
match = '^/etc/app/x$'
replace = '/nowhere'
)");
  auto secret = test::decide(m, __NR_openat, 1, "/etc/app/secret");
  CHECK(secret.action == Kind::allow);
  CHECK(secret.rule == "keep-secret");
  auto ssh = test::decide(m, __NR_openat, 1, "/home/user/.ssh/id_rsa");
  CHECK(ssh.action == Kind::deny);
  CHECK(ssh.error == ENOENT);
  auto x = test::decide(m, __NR_openat, 1, "/etc/app/x");
  CHECK(x.action == Kind::rewrite);
  CHECK(x.rule == "etc");
  CHECK(x.value == "/snap/app/etc/x");
}

TEST_CASE("matcher: a deny without errno returns EACCES") {
  auto m = test::compile_ok(R"(
[[rule]]
syscalls = ["openat"]
match = 'x'
action = "deny"
)");
  auto o = test::decide(m, __NR_openat, 1, "x");
  CHECK(o.action == Kind::deny);
  CHECK(o.error == EACCES);
  CHECK(o.rule == "rule 1");
}

TEST_CASE("matcher: a pattern that gives up fails the call closed, before later rules") {
  const std::string toml = R"(
[[rule]]
name = "greedy"
syscalls = ["openat"]
match = '^/d/(a+)+b|^/d/zz'
ACTION

[[rule]]
name = "later"
syscalls = ["openat"]
match = '^/d/'
replace = '/elsewhere/'
)";
  const std::string path = "/d/" + std::string(30, 'a') + "c";
  SUBCASE("a deny rule denies with its errno") {
    auto m = test::compile_ok(std::string(toml).replace(toml.find("ACTION"), 6,
                                                  "action = \"deny\"\nerrno = \"EPERM\""));
    auto o = test::decide(m, __NR_openat, 1, path);
    CHECK(o.action == Kind::deny);
    CHECK(o.error == EPERM);
    CHECK(o.rule == "greedy");
  }
  SUBCASE("a rewrite rule fails the call with EACCES") {
    auto m = test::compile_ok(std::string(toml).replace(toml.find("ACTION"), 6, "replace = '/x'"));
    auto o = test::decide(m, __NR_openat, 1, path);
    CHECK(o.action == Kind::deny);
    CHECK(o.error == EACCES);
    CHECK(o.rule == "greedy");
    // A path it decides goes on to the later rule as usual.
    CHECK(test::decide(m, __NR_openat, 1, "/d/q").rule == "later");
  }
}

TEST_CASE("matcher: a rewrite that would contain a NUL fails with EINVAL, nothing truncated") {
  // The loader refuses a NUL in `replace`; a RuleFile built by hand can still hold one, and the
  // kernel would then read "/dir/a" (another, existing file) out of "/dir/a\0b".
  rules::Diagnostics diags;
  auto files = test::parse(R"(
[[rule]]
syscalls = ["openat"]
match = '^/dir/x$'
replace = '/dir/aXb'
)", diags);
  REQUIRE_FALSE(diags.has_errors());
  files[0].rules[0].replace->value[6] = '\0';
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  REQUIRE(m);
  auto o = test::decide(*m, __NR_openat, 1, "/dir/x");
  CHECK(o.action == Kind::unwritable);
  CHECK(o.error == EINVAL);
  CHECK(o.value.empty());
}

TEST_CASE("matcher: a rewrite that does not fit PATH_MAX is unwritable, ENAMETOOLONG") {
  auto m = test::compile_ok(R"(
[[rule]]
syscalls = ["openat"]
match = '^(.*)$'
replace = '$1$1$1$1$1'
)");
  std::string long_path(1000, 'a');
  auto o = test::decide(m, __NR_openat, 1, long_path);
  CHECK(o.action == Kind::unwritable);
  CHECK(o.error == ENAMETOOLONG);
  auto small = test::decide(m, __NR_openat, 1, "ab");
  CHECK(small.error == 0);
  CHECK(small.value == "ababababab");
}

TEST_CASE("matcher: explicit args select string arguments") {
  auto m = test::compile_ok(R"(
[[rule]]
name = "link-name-only"
syscalls = ["symlinkat"]
args = [2]
match = '^/tmp/links/(.*)$'
replace = '/data/links/$1'
)");
  auto args = m.find(__NR_symlinkat).args();
  REQUIRE(args.size() == 1);
  CHECK(args[0] == 2);
  CHECK(test::decide(m, __NR_symlinkat, 0, "/tmp/links/a").action == Kind::none);
  CHECK(test::decide(m, __NR_symlinkat, 2, "/tmp/links/a").value == "/data/links/a");
}

TEST_CASE("matcher: per-arch numbers; syscalls absent on an arch are skipped") {
  auto m = test::compile_ok(R"(
[[rule]]
syscalls = ["open", "openat"]
match = 'x'
replace = 'y'
)", AUDIT_ARCH_AARCH64);
  // aarch64 has no open(2); openat is 56 there.
  CHECK(m.traced_numbers() == std::vector<int>{56});
  CHECK(m.find(56).args().size() == 1);
  auto i386 = test::compile_ok(R"(
[[rule]]
syscalls = ["open"]
match = 'x'
replace = 'y'
)", AUDIT_ARCH_I386);
  CHECK(i386.traced_numbers() == std::vector<int>{5});
  CHECK(i386.find(5).args()[0] == 0);
}

TEST_CASE("matcher: errors point at the offending value") {
  SUBCASE("unknown syscall with a suggestion") {
    CHECK(compile_errors(R"([[rule]]
syscalls = ["opnat"]
match = 'x'
replace = 'y'
)") == "test.toml:2:13: error: unknown syscall 'opnat' (did you mean 'openat'?)\n");
  }
  SUBCASE("unknown class") {
    CHECK(compile_errors(R"([[rule]]
syscalls = ["openat", "%fiel"]
match = 'x'
replace = 'y'
)") == "test.toml:2:23: error: unknown syscall class '%fiel' (did you mean '%file'?)\n");
  }
  SUBCASE("syscall without strings") {
    CHECK(compile_errors(R"([[rule]]
syscalls = ["getpid"]
match = 'x'
replace = 'y'
)") == "test.toml:2:13: error: syscall 'getpid' has no string argument to rewrite\n");
    CHECK(compile_errors(R"([[rule]]
syscalls = ["getpid"]
args = [0]
match = 'x'
action = "deny"
)") == "test.toml:2:13: error: syscall 'getpid' has no string argument to select with 'args'\n");
  }
  SUBCASE("arg index that is not a string of an explicit syscall") {
    CHECK(compile_errors(R"([[rule]]
syscalls = ["openat"]
args = [2]
match = 'x'
replace = 'y'
)") == "test.toml:3:9: error: argument 2 of 'openat' is not a string (its string arguments: 1)\n");
  }
  SUBCASE("arg index that fits no syscall of a class") {
    CHECK(compile_errors(R"([[rule]]
name = "r"
syscalls = ["%stat"]
args = [5]
match = 'x'
replace = 'y'
)") == "test.toml:4:9: error: argument 5 is not a string argument of any syscall of rule 'r'\n");
  }
  SUBCASE("invalid pattern, column inside the pattern") {
    CHECK(compile_errors(R"([[rule]]
name = "bad"
syscalls = ["openat"]
match = '^/etc/(x'
replace = 'y'
)") == "test.toml:4:18: error: invalid pattern in rule 'bad': missing closing parenthesis\n");
  }
  SUBCASE("replacement naming a group the pattern lacks") {
    std::string text = compile_errors(R"([[rule]]
name = "bad"
syscalls = ["openat"]
match = '^/etc/(x)'
replace = '/y/$2'
)");
    CHECK(text ==
          "test.toml:5:15: error: invalid replacement in rule 'bad': no group 2 in the pattern "
          "(it has 1)\n");
  }
}

TEST_CASE("matcher: a deny of a syscall without strings applies to the whole call") {
  auto m = test::compile_ok(R"(
[[rule]]
name = "no-io-uring"
syscalls = ["io_uring_setup", "%file"]
match = ''
action = "deny"
errno = "ENOSYS"
)");
  CHECK(m.find(__NR_io_uring_setup).args().empty());
  CHECK(m.find(__NR_io_uring_setup).has_call_rules());
  CHECK_FALSE(m.find(__NR_openat).has_call_rules());
  CHECK_FALSE(m.find(__NR_getcwd).has_call_rules());  // %file's getcwd has no path: not selected
  CHECK(std::binary_search(m.traced_numbers().begin(), m.traced_numbers().end(),
                           __NR_io_uring_setup));
  auto d = m.decide_call(m.find(__NR_io_uring_setup));
  CHECK(d.action == Kind::deny);
  CHECK(d.error == ENOSYS);
  CHECK(m.decide_call(m.find(__NR_openat)).action == Kind::none);
  CHECK(m.decide_call(m.find(-5)).action == Kind::none);
}

TEST_CASE("matcher: a rule the loader found broken still gets its other parts checked") {
  // The unset variable makes the rule broken; the misspelt syscall and the bad pattern are
  // still reported, so one lint run shows all three.
  CHECK(compile_errors(R"([[rule]]
syscalls = ["opneat"]
match = '^/etc/app/(.*$'
replace = '@{UNSET_VARIABLE}/etc/app/$1'
)") == "test.toml:4:12: error: environment variable 'UNSET_VARIABLE' is not set and has no "
       "default (write @{UNSET_VARIABLE:-default})\n"
       "test.toml:2:13: error: unknown syscall 'opneat' (did you mean 'openat'?)\n"
       "test.toml:3:24: error: invalid pattern in rule 1: missing closing parenthesis\n");
}

TEST_CASE("matcher: with the prefix index, file order still decides") {
  // Enough rules for the index to be used; an unanchored rule (no prefix) sits between
  // anchored ones and must win over the later, longer prefix and lose to the earlier one.
  std::string toml;
  for (int i = 0; i < 20; ++i)
    toml += "[[rule]]\nname = 'p" + std::to_string(i) + "'\nsyscalls = ['openat']\nmatch = '^/p" +
            std::to_string(i) + "/'\naction = 'allow'\n";
  toml += "[[rule]]\nname = 'first'\nsyscalls = ['openat']\nmatch = '^/a/'\naction = 'allow'\n";
  toml += "[[rule]]\nname = 'any'\nsyscalls = ['openat']\nmatch = 'x'\naction = 'allow'\n";
  toml += "[[rule]]\nname = 'later'\nsyscalls = ['openat']\nmatch = '^/a/b/'\naction = 'allow'\n";
  auto m = test::compile_ok(toml);
  CHECK(test::decide(m, __NR_openat, 1, "/a/b/x").rule == "first");
  CHECK(test::decide(m, __NR_openat, 1, "/c/b/x").rule == "any");
  CHECK(test::decide(m, __NR_openat, 1, "/q/a/b/").rule == "");
  CHECK(test::decide(m, __NR_openat, 1, "/p13/y").rule == "p13");
  CHECK(test::decide(m, __NR_openat, 1, "/p1/y").rule == "p1");
}

TEST_CASE("matcher: resolved and as-passed files together: each rule sees its own form, file order decides") {
  rules::Diagnostics diags;
  std::vector<rules::RuleFile> files;
  files.push_back(rules::parse_rules("passed.toml", R"(paths = "as-passed"
[[rule]]
name = "relative-conf"
syscalls = ["openat"]
match = '^conf/(.*)$'
replace = 'passed/$1'
)", test::fixed_env(), diags));
  files.push_back(rules::parse_rules("resolved.toml", R"([[rule]]
name = "etc-app"
syscalls = ["openat"]
match = '^/etc/app/(.*)$'
replace = '/snap/etc/app/$1'
)", test::fixed_env(), diags));
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  REQUIRE(m.has_value());
  const rules::SyscallRules call = m->find(__NR_openat);
  REQUIRE(call);
  CHECK(call.wants_resolved(1));
  CHECK(call.base(1).kind == rules::ArgBase::Kind::dirfd);
  CHECK(call.base(1).dirfd_reg == 0);
  char out[PATH_MAX];
  // "conf/x" in /etc/app: both rules match their own form; the as-passed file came first.
  auto d = m->decide(call, 1, rules::PathArg{"conf/x", "/etc/app/conf/x"}, out);
  CHECK(d.rule->name == "relative-conf");
  CHECK(d.replacement == "passed/x");
  // Only the resolved form matches: the resolved file's rule decides, on the resolved path.
  d = m->decide(call, 1, rules::PathArg{"x", "/etc/app/x"}, out);
  CHECK(d.rule->name == "etc-app");
  CHECK(d.replacement == "/snap/etc/app/x");
  // A directory that could not be named: rules of resolved files do not apply.
  d = m->decide(call, 1, rules::PathArg{"x", std::nullopt}, out);
  CHECK(d.action == Kind::none);
}
