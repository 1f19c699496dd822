// Tests of rules/toml_string_positions.cpp: each kind of TOML string, escapes, multi-byte
// characters and the coarse fallback. Values are written here as toml++ decodes them (the
// loader tests check the same against toml++ itself; this file stays free of toml++ types).
#include "rules/toml_string_positions.h"

#include <doctest/doctest.h>

using namespace redirect::rules;

template <>
struct doctest::StringMaker<SourcePos> {
  static String convert(const SourcePos& p) {
    return (std::to_string(p.line) + ":" + std::to_string(p.column)).c_str();
  }
};

namespace {

struct Mapped {
  std::string value;
  std::vector<SourcePos> positions;
};

// Maps the string `value` whose opening quote is the first quote after "s = " in `source`.
Mapped map_s(std::string_view source, std::string_view value) {
  std::size_t at = source.find("s = ");
  REQUIRE(at != std::string_view::npos);
  SourcePos begin{1, 1};
  for (std::size_t i = 0; i < at + 4; ++i) {
    if (source[i] == '\n') {
      ++begin.line;
      begin.column = 1;
    } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
      ++begin.column;
    }
  }
  std::vector<SourcePos> positions = toml_string_positions(SourceLines(source), begin, value);
  REQUIRE(positions.size() == value.size() + 1);
  // A value that disagrees with the token falls back to `begin` everywhere: not wanted here.
  if (value.size() > 1) REQUIRE(positions[1] != begin);
  return {std::string(value), positions};
}

}  // namespace

TEST_CASE("toml_string_positions: literal string") {
  Mapped m = map_s("x = 1\ns = 'a(b'\n", "a(b");
  CHECK(m.positions[0] == SourcePos{2, 6});
  CHECK(m.positions[2] == SourcePos{2, 8});
  CHECK(m.positions[3] == SourcePos{2, 9});  // closing quote
}

TEST_CASE("toml_string_positions: basic string with escapes") {
  Mapped m = map_s("s = \"\\\\d\\t\\u00e9(\\\"\"\n", "\\d\t\xc3\xa9(\"");
  CHECK(m.positions[0] == SourcePos{1, 6});   // "\\"
  CHECK(m.positions[1] == SourcePos{1, 8});   // d
  CHECK(m.positions[2] == SourcePos{1, 9});   // "\t"
  CHECK(m.positions[3] == SourcePos{1, 11});  // both bytes of "\u00e9"
  CHECK(m.positions[4] == SourcePos{1, 11});
  CHECK(m.positions[5] == SourcePos{1, 17});  // (
  CHECK(m.positions[6] == SourcePos{1, 18});  // "\""
  CHECK(m.positions[7] == SourcePos{1, 20});  // closing quote
}

TEST_CASE("toml_string_positions: columns count code points") {
  Mapped m = map_s("s = 'é(x'\n", "\xc3\xa9(x");
  CHECK(m.positions[0] == SourcePos{1, 6});
  CHECK(m.positions[1] == SourcePos{1, 6});
  CHECK(m.positions[2] == SourcePos{1, 7});
  Mapped after_key = map_s("# é\n  s = 'xy'\n", "xy");
  CHECK(after_key.positions[0] == SourcePos{2, 8});
}

TEST_CASE("toml_string_positions: multi-line literal string") {
  Mapped m = map_s("s = '''\nab\n c''''\n", "ab\n c'");
  CHECK(m.positions[0] == SourcePos{2, 1});
  CHECK(m.positions[2] == SourcePos{2, 3});  // the line break
  CHECK(m.positions[4] == SourcePos{3, 2});  // c
  CHECK(m.positions[5] == SourcePos{3, 3});  // the quote before the closing three
  CHECK(m.positions[6] == SourcePos{3, 4});
}

TEST_CASE("toml_string_positions: multi-line basic string with a line-ending backslash") {
  Mapped m = map_s("s = \"\"\"a\\\n    b\\tc\"\"\"\n", "ab\tc");
  CHECK(m.positions[0] == SourcePos{1, 8});
  CHECK(m.positions[1] == SourcePos{2, 5});
  CHECK(m.positions[2] == SourcePos{2, 6});
  CHECK(m.positions[3] == SourcePos{2, 8});
}

TEST_CASE("toml_string_positions: CRLF line endings") {
  Mapped m = map_s("x = 1\r\ns = '''\r\na\r\nb'''\r\n", "a\nb");
  CHECK(m.positions[0] == SourcePos{3, 1});
  CHECK(m.positions[2] == SourcePos{4, 1});
}

TEST_CASE("toml_string_positions: falls back to the value's position") {
  // The value does not match the token at that position.
  std::vector<SourcePos> p = toml_string_positions(SourceLines("s = 'abc'\n"), {1, 5}, "xyz");
  CHECK(p == std::vector<SourcePos>(4, SourcePos{1, 5}));
  // No string token at that position.
  p = toml_string_positions(SourceLines("s = 1\n"), {1, 5}, "1");
  CHECK(p == std::vector<SourcePos>(2, SourcePos{1, 5}));
  // A position past the end of the source.
  p = toml_string_positions(SourceLines("s = 'a'\n"), {9, 1}, "a");
  CHECK(p == std::vector<SourcePos>(2, SourcePos{9, 1}));
}
