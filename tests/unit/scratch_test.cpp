// Scratch layout: below the red zone, 16-byte aligned, first string highest, no overlap.
#include <doctest/doctest.h>

#include "engine/scratch.h"
#include "engine/scratch_area.h"

using namespace redirect::engine;

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

TEST_CASE("scratch: a slot of the mapping is filled upwards, 16-byte aligned") {
  std::size_t sizes[] = {12, 40, 1};
  auto l = layout_in_slot(RemotePtr{0x7f00'0000'8000}, 4096, sizes);
  REQUIRE(l);
  CHECK(l->at[0].addr == 0x7f00'0000'8000);
  CHECK(l->at[1].addr == 0x7f00'0000'8010);
  CHECK(l->at[2].addr == 0x7f00'0000'8040);
  CHECK(l->lowest.addr == 0x7f00'0000'8000);
}

TEST_CASE("scratch: six PATH_MAX strings fit one slot; a seventh byte past it does not") {
  std::size_t six[] = {4096, 4096, 4096, 4096, 4096, 4096};
  CHECK(layout_in_slot(RemotePtr{0x1000}, scratch_slot_size, six));
  std::size_t big[] = {scratch_slot_size - 15, 1};
  CHECK_FALSE(layout_in_slot(RemotePtr{0x1000}, scratch_slot_size, big));
  std::size_t exact[] = {scratch_slot_size};
  CHECK(layout_in_slot(RemotePtr{0x1000}, scratch_slot_size, exact));
}

TEST_CASE("scratch: a fork child's bookkeeping has the same chunks and no slot held") {
  AddressSpace parent;
  parent.chunks.push_back({RemotePtr{0x10000}, 2, true, true});
  parent.chunks.push_back({RemotePtr{0x90000}, 2, true, true});
  parent.busy = {true, false, true, true};
  auto child = parent.forked();
  CHECK(child->chunks.size() == 2);
  CHECK(child->busy == std::vector<bool>{false, false, false, false});
  CHECK(child->slot_address(1).addr == 0x10000 + scratch_slot_size);
  CHECK(child->slot_address(2).addr == 0x90000);
}
