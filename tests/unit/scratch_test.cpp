// Scratch layout: below the red zone, 16-byte aligned, first string highest, no overlap.
#include <doctest/doctest.h>

#include "engine/scratch.h"

using redirect::engine::layout_scratch;

TEST_CASE("scratch: strings stack below sp minus the red zone, 16-byte aligned") {
  std::size_t sizes[] = {12, 40};
  auto l = layout_scratch(0x7ffc'0000'1008, 128, sizes);
  REQUIRE(l);
  // 0x...1008 - 128 = 0x...0f88; - 12 = 0x...0f7c -> aligned 0x...0f70
  CHECK(l->at[0].addr == 0x7ffc'0000'0f70);
  // 0x...0f70 - 40 = 0x...0f48 -> 0x...0f40
  CHECK(l->at[1].addr == 0x7ffc'0000'0f40);
  CHECK(l->lowest.addr == 0x7ffc'0000'0f40);
  CHECK(l->at[1].addr + 40 <= l->at[0].addr);
  CHECK(l->at[0].addr + 12 <= 0x7ffc'0000'1008 - 128);
}

TEST_CASE("scratch: no red zone (i386, aarch64)") {
  std::size_t sizes[] = {1};
  auto l = layout_scratch(0xffffd000, 0, sizes);
  REQUIRE(l);
  CHECK(l->at[0].addr == 0xffffcff0);
}

TEST_CASE("scratch: refuses to wrap below address 0") {
  std::size_t sizes[] = {4096};
  CHECK_FALSE(layout_scratch(100, 128, sizes));
  CHECK_FALSE(layout_scratch(2000, 0, sizes));
}
