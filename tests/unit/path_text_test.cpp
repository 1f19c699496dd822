// path_text: joining a relative path to its directory, and what collapsing keeps.
#include "rules/path_text.h"

#include <doctest/doctest.h>

#include <array>
#include <string>

using namespace redirect;

namespace {

std::string joined(std::string_view dir, std::string_view rel, std::size_t room = 4096) {
  std::array<char, 4096> buf;
  auto n = rules::join_path(dir, rel, std::span(buf.data(), room));
  if (!n) return "<too long>";
  CHECK(buf[*n] == '\0');
  return std::string(buf.data(), *n);
}

}  // namespace

TEST_CASE("path_text: relative means not empty and not starting with '/'") {
  CHECK(rules::is_relative_path("a"));
  CHECK(rules::is_relative_path("./a"));
  CHECK(rules::is_relative_path("../a"));
  CHECK_FALSE(rules::is_relative_path(""));
  CHECK_FALSE(rules::is_relative_path("/a"));
}

TEST_CASE("path_text: join collapses // and /./ and a trailing /., keeps ..") {
  CHECK(joined("/var/lib", "app") == "/var/lib/app");
  CHECK(joined("/var/lib/", "app") == "/var/lib/app");
  CHECK(joined("/", "app") == "/app");
  CHECK(joined("/var", ".//lib/./app") == "/var/lib/app");
  CHECK(joined("/var", "lib/.") == "/var/lib");
  CHECK(joined("/var", ".") == "/var");
  CHECK(joined("/", ".") == "/");
  CHECK(joined("/var", "lib/") == "/var/lib/");
  CHECK(joined("/var", "a/../b") == "/var/a/../b");  // a may be a symlink
  CHECK(joined("/var", "..") == "/var/..");
}

TEST_CASE("path_text: an absolute 'rel' ignores the directory, as the kernel does") {
  CHECK(joined("/var", "/etc//x/./y") == "/etc/x/y");
  CHECK(joined("", "//") == "/");
}

TEST_CASE("path_text: a result that does not fit is refused, never truncated") {
  CHECK(joined("/var", "lib", 13) == "/var/lib");    // 8 bytes + NUL fit in 13
  CHECK(joined("/var", "lib", 9) == "/var/lib");     // exactly: 8 + NUL
  CHECK(joined("/var", "lib", 8) == "<too long>");   // no room for the NUL
  CHECK(joined("/var", "lib/", 9) == "<too long>");  // the trailing '/' does not fit
}

TEST_CASE("path_text: needs_collapse finds what join would change") {
  for (auto s : {"//a", "/a//b", "/a/./b", "/a/.", "/./a"}) {
    INFO(s);
    CHECK(rules::needs_collapse(s));
  }
  for (auto s : {"/", "/a", "/a/b/", "/a/..", "/a/.b", "/a/b."}) {
    INFO(s);
    CHECK_FALSE(rules::needs_collapse(s));
  }
}
