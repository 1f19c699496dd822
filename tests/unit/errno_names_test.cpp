// Tests of rules/errno_names.cpp: names map to the host's values, aliases are accepted, and the
// table is complete enough to hold every errno the kernel returns up to EHWPOISON.
#include "rules/errno_names.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <set>

using namespace redirect::rules;

TEST_CASE("errno_names: names and values") {
  CHECK(errno_value("EACCES") == EACCES);
  CHECK(errno_value("ENOENT") == ENOENT);
  CHECK(errno_value("EPERM") == EPERM);
  CHECK(errno_value("ENAMETOOLONG") == ENAMETOOLONG);
  CHECK(errno_value("EWOULDBLOCK") == EAGAIN);
  CHECK(errno_value("EDEADLOCK") == EDEADLK);
  CHECK(errno_value("ENOTSUP") == EOPNOTSUPP);
  CHECK(errno_value("eacces") == std::nullopt);
  CHECK(errno_value("") == std::nullopt);
  CHECK(errno_name(EACCES) == "EACCES");
  CHECK(errno_name(EAGAIN) == "EAGAIN");
  CHECK(errno_name(0) == std::nullopt);
}

TEST_CASE("errno_names: every value from 1 to EHWPOISON has a name") {
  std::set<int> values;
  for (std::string_view name : errno_names()) values.insert(*errno_value(name));
  for (int v = 1; v <= EHWPOISON; ++v) {
    // 41 and 58 are holes in Linux's numbering on x86_64 and aarch64.
    if (v == 41 || v == 58) continue;
    CAPTURE(v);
    CHECK(values.count(v) == 1);
  }
}
