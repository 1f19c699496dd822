// cwd_view: getcwd's answer in the program's view, the step the ptrace engine and the
// in-process backend share: a directory inside a prefix rule's replacement read back to the
// prefix, only when the rules of chdir send that prefix forwards to the same directory.
#include "rules/cwd_view.h"

#include <doctest/doctest.h>
#include <linux/audit.h>

#include <array>
#include <climits>
#include <optional>
#include <string>

#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

struct Cwd {
  std::optional<rules::Matcher> m;
  rules::ReverseIndex reverse;

  explicit Cwd(const std::string& toml) {
    m = test::compile_ok(toml);
    reverse = rules::ReverseIndex(m->rules(), rules::ReverseIndex::Use::getcwd);
  }
  // The program's view of `host`, or "(kernel's)" when the kernel's answer stands.
  std::string view(std::string_view host, std::size_t room = PATH_MAX) {
    std::array<char, PATH_MAX> out, check;
    auto n = rules::cwd_in_view(*m, reverse, host, std::span(out.data(), room), check);
    if (!n) return "(kernel's)";
    CHECK(out[*n] == '\0');
    return std::string(out.data(), *n);
  }
};

const std::string kApp = test::etc_app_rule(R"("chdir", "openat")");

}  // namespace

TEST_CASE("cwd_view: a directory in a prefix rule's replacement is read back to its prefix") {
  Cwd c(kApp);
  CHECK(c.view("/snap/app/etc/sub") == "/etc/app/sub");
  CHECK(c.view("/snap/app/etc") == "/etc/app");
}

TEST_CASE("cwd_view: a directory no rule's replacement holds keeps the kernel's name") {
  Cwd c(kApp);
  CHECK(c.view("/snap/app") == "(kernel's)");
  CHECK(c.view("/snap/app/etcetera") == "(kernel's)");
  CHECK(c.view("/home/user") == "(kernel's)");
  CHECK(c.view("(unreachable)/x") == "(kernel's)");
}

TEST_CASE("cwd_view: a reading the rules of chdir would not give back is refused") {
  // The prefix rule names openat only: a chdir to /etc/app is not sent to the bundle.
  Cwd c(test::etc_app_rule(R"("openat")"));
  CHECK(c.view("/snap/app/etc/sub") == "(kernel's)");
}

TEST_CASE("cwd_view: an earlier rule of chdir that sends the view elsewhere wins") {
  Cwd c(R"(
[[rule]]
name = "first"
syscalls = ["chdir"]
match = '^/etc/app/sub$'
action = "allow"

)" + test::etc_app_rule(R"("chdir")"));
  CHECK(c.view("/snap/app/etc/sub") == "(kernel's)");
  CHECK(c.view("/snap/app/etc/other") == "/etc/app/other");
}

TEST_CASE("cwd_view: getcwd = \"bundle\" reads nothing back") {
  Cwd c(std::string("getcwd = \"bundle\"\n") + std::string(kApp));
  CHECK(c.reverse.empty());
  CHECK(c.view("/snap/app/etc/sub") == "(kernel's)");
}

TEST_CASE("cwd_view: a view that does not fit where it is written is not given") {
  Cwd c(kApp);
  CHECK(c.view("/snap/app/etc/sub", 13) == "/etc/app/sub");  // 12 bytes and the NUL
  CHECK(c.view("/snap/app/etc/sub", 12) == "(kernel's)");
}
