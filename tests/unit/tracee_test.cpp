// TraceeTable: find/insert/erase under growth and long probe runs (backward-shift deletion).
#include <doctest/doctest.h>

#include <set>

#include "engine/tracee.h"

using redirect::engine::TraceeTable;

TEST_CASE("tracee table: behaves like a set of tids through growth and erasure") {
  TraceeTable table(4);
  std::set<pid_t> model;
  unsigned seed = 12345;
  for (int step = 0; step < 20000; ++step) {
    seed = seed * 1103515245 + 12345;
    pid_t tid = static_cast<pid_t>(1 + (seed >> 8) % 700);
    if ((seed >> 4) % 3 == 0) {
      table.erase(tid);
      model.erase(tid);
    } else {
      table.get_or_add(tid).in_syscall = true;
      model.insert(tid);
    }
    if (step % 97 == 0) {
      REQUIRE(table.size() == model.size());
      for (pid_t t = 1; t <= 700; ++t) {
        auto* found = table.find(t);
        REQUIRE((found != nullptr) == model.count(t));
        if (found) CHECK(found->tid == t);
      }
    }
  }
}

TEST_CASE("tracee table: a new entry starts clean") {
  TraceeTable table;
  auto& t = table.get_or_add(42);
  t.in_syscall = true;
  table.erase(42);
  auto& again = table.get_or_add(42);
  CHECK_FALSE(again.in_syscall);
  CHECK_FALSE(again.exit_planned());
}
