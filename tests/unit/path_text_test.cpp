// path_text: joining a relative path to its directory, and what collapsing keeps.
#include "rules/path_text.h"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>

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

TEST_CASE("path_text: is_clean_dir is the form the kernel names directories in") {
  for (auto s : {"/", "/a", "/a/b", "/a/.b", "/a/b.", "/a/...", "/a/..b", "/x (deleted)"}) {
    INFO(s);
    CHECK(rules::is_clean_dir(s));
  }
  for (auto s : {"", "a", "a/b", "//", "/a/", "/a//b", "/./a", "/a/.", "/a/..", "/../a",
                 "/a/../b", "/."}) {
    INFO(s);
    CHECK_FALSE(rules::is_clean_dir(s));
  }
}

// The fast join must give join_path()'s answer, byte for byte, wherever it may be used: every
// clean directory (the root, one and several components) with names that are relative,
// absolute, empty, ".", "..", with a trailing '/', "//" and "/./" inside, at every buffer size
// from too small to ample (each size where a piece stops fitting included).
TEST_CASE("path_text: join_to_clean_dir gives join_path's answer") {
  const std::string long_name(300, 'n');
  const std::string long_dir = "/" + std::string(200, 'd') + "/e";
  const std::string_view dirs[] = {"/", "/a", "/var/lib", "/a/.b/c.", long_dir};
  const std::string_view rels[] = {"f", "f/", "f//", ".", "./", "..", "../", "a/..", "./f",
                                   "a//b/./c", "a/./", "a/.", "", "/", "/etc//x/./y", "//",
                                   "...", ".f", long_name};
  for (std::string_view dir : dirs) {
    REQUIRE(rules::is_clean_dir(dir));
    for (std::string_view rel : rels) {
      for (std::size_t room = 0; room <= 520; ++room) {
        std::array<char, 600> slow, fast;
        slow.fill('S');
        fast.fill('F');
        auto a = rules::join_path(dir, rel, std::span(slow.data(), room));
        auto b = rules::join_to_clean_dir(dir, rel, std::span(fast.data(), room));
        INFO("dir=" << dir << " rel=" << rel << " room=" << room);
        REQUIRE(a.has_value() == b.has_value());
        if (!a) continue;
        REQUIRE(*a == *b);
        CHECK(std::string_view(slow.data(), *a + 1) == std::string_view(fast.data(), *b + 1));
      }
    }
  }
}

TEST_CASE("path_text: the fast join of the edge cases") {
  std::array<char, 4096> buf;
  auto fast = [&](std::string_view dir, std::string_view rel, std::size_t room = 4096) {
    auto n = rules::join_to_clean_dir(dir, rel, std::span(buf.data(), room));
    return n ? std::string(buf.data(), *n) : std::string("<too long>");
  };
  CHECK(fast("/", "f") == "/f");
  CHECK(fast("/", ".") == "/");
  CHECK(fast("/", "") == "/");
  CHECK(fast("/", "d/") == "/d/");
  CHECK(fast("/var", "lib/") == "/var/lib/");
  CHECK(fast("/var", "..") == "/var/..");
  CHECK(fast("/var", "./") == "/var/");  // a trailing slash is kept, as join_path keeps it
  CHECK(fast("/var", "/etc/") == "/etc/");
  CHECK(fast("/var", "lib", 9) == "/var/lib");
  CHECK(fast("/var", "lib", 8) == "<too long>");
  CHECK(fast("/var", ".", 5) == "/var");
  CHECK(fast("/var", ".", 4) == "<too long>");
  CHECK(fast("/var", std::string(5000, 'x')) == "<too long>");
}
