// Tests of rules/diagnostic.cpp: the text form, the caret under the column, and JSON output.
#include "rules/diagnostic.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace redirect::rules;

TEST_CASE("diagnostic: counts errors and warnings") {
  Diagnostics diags;
  CHECK(diags.empty());
  CHECK_FALSE(diags.has_errors());
  diags.warning("a.toml", {}, "no rules in this file");
  CHECK_FALSE(diags.has_errors());
  diags.error("a.toml", {2, 3}, "bad");
  CHECK(diags.has_errors());
  CHECK(diags.error_count() == 1);
  CHECK(diags.warning_count() == 1);
  REQUIRE(diags.all().size() == 2);
  CHECK(diags.all()[1].message == "bad");
}

TEST_CASE("diagnostic: format_text") {
  CHECK(format_text({"a.toml", {3, 9}, Severity::error, "rule 'x' has no 'match'"}) ==
        "a.toml:3:9: error: rule 'x' has no 'match'");
  CHECK(format_text({"a.toml", {3, 9}, Severity::warning, "w"}) == "a.toml:3:9: warning: w");
  CHECK(format_text({"a.toml", {}, Severity::warning, "no rules in this file"}) ==
        "a.toml: warning: no rules in this file");
  CHECK(format_text({"a.toml", {4, 0}, Severity::error, "e"}) == "a.toml:4: error: e");
}

TEST_CASE("diagnostic: format_text_with_caret") {
  const std::string source = "version = 1\n[[rule]]\nmatch = '(x'\n\tname = \"é\" # c\n";
  SUBCASE("caret under the column") {
    CHECK(format_text_with_caret({"f", {3, 11}, Severity::error, "m"}, source) ==
          "f:3:11: error: m\nmatch = '(x'\n          ^");
  }
  SUBCASE("tabs are kept and a multi-byte character is one column") {
    // Line 4: '\t' is column 1, 'n' 2, '"' 9, 'é' 10, '"' 11.
    CHECK(format_text_with_caret({"f", {4, 11}, Severity::error, "m"}, source) ==
          "f:4:11: error: m\n\tname = \"é\" # c\n\t         ^");
  }
  SUBCASE("no line, no caret") {
    CHECK(format_text_with_caret({"f", {}, Severity::warning, "w"}, source) == "f: warning: w");
    CHECK(format_text_with_caret({"f", {9, 1}, Severity::error, "m"}, source) == "f:9:1: error: m");
  }
  SUBCASE("a column at the end of the line") {
    CHECK(format_text_with_caret({"f", {1, 12}, Severity::error, "m"}, "version = 1\r\n") ==
          "f:1:12: error: m\nversion = 1\n           ^");
  }
}

TEST_CASE("diagnostic: format_json") {
  std::vector<Diagnostic> list = {{"a.toml", {3, 9}, Severity::error, "bad 'x'"},
                                  {"b.toml", {}, Severity::warning, "no rules in this file"}};
  nlohmann::json j = nlohmann::json::parse(format_json(list));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0] == nlohmann::json{{"file", "a.toml"},
                               {"line", 3},
                               {"column", 9},
                               {"severity", "error"},
                               {"message", "bad 'x'"}});
  CHECK(j[1]["severity"] == "warning");
  CHECK(j[1]["line"] == 0);
  CHECK(nlohmann::json::parse(format_json({})) == nlohmann::json::array());
  // Bytes that are not UTF-8 do not make it throw.
  CHECK_NOTHROW((void)format_json({{"a\xff", {1, 1}, Severity::error, "\xfe"}}));
}

TEST_CASE("diagnostic: control bytes of a binary file are escaped, the caret still lines up") {
  // An ESC sequence in the message and the line would otherwise drive the terminal.
  const std::string source = "a\x1b[2Jb = 1\n";
  CHECK(format_text_with_caret({"f\x07", {1, 7}, Severity::error, "bad '\x1b[2J'"}, source) ==
        "f\\x07:1:7: error: bad '\\x1b[2J'\n"
        "a\\x1b[2Jb = 1\n"
        "         ^");
  CHECK(printable("tab\tstays, \x7f goes") == "tab\tstays, \\x7f goes");
}
