// The result text that ends a --log line of a changed call, as strace prints results.
#include "engine/log.h"

#include <cerrno>
#include <doctest/doctest.h>

using redirect::engine::result_text;

TEST_CASE("log: results read as strace prints them") {
  CHECK(result_text(3) == "3");
  CHECK(result_text(0) == "0");
  CHECK(result_text(-ENOENT) == "-1 ENOENT (No such file or directory)");
  CHECK(result_text(-EACCES) == "-1 EACCES (Permission denied)");
  CHECK(result_text(std::nullopt) == "?");
  SUBCASE("a negative value outside -4095..-1 is a value, not an errno") {
    CHECK(result_text(-5000) == "-5000");
  }
}
