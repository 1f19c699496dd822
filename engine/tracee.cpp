// TraceeTable: linear probing with backward-shift deletion (no tombstones, so a long run with
// thousands of short-lived processes does not slow lookups down).
#include "engine/tracee.h"

#include <bit>
#include <utility>

namespace redirect::engine {
namespace {
std::size_t hash(pid_t tid) { return static_cast<std::size_t>(tid) * 0x9E3779B97F4A7C15ull >> 7; }
}  // namespace

TraceeTable::TraceeTable(std::size_t expected) : slots_(std::bit_ceil(expected * 2)) {}

std::size_t TraceeTable::slot_of(pid_t tid) const {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(tid) & mask;
  while (slots_[i].tid != 0 && slots_[i].tid != tid) i = (i + 1) & mask;
  return i;
}

Tracee* TraceeTable::find(pid_t tid) {
  Tracee& t = slots_[slot_of(tid)];
  return t.tid == tid ? &t : nullptr;
}

Tracee& TraceeTable::get_or_add(pid_t tid) {
  std::size_t i = slot_of(tid);
  if (slots_[i].tid == tid) return slots_[i];
  if ((size_ + 1) * 2 > slots_.size()) {
    grow();
    i = slot_of(tid);
  }
  slots_[i] = Tracee{};
  slots_[i].tid = tid;
  ++size_;
  return slots_[i];
}

void TraceeTable::erase(pid_t tid) {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = slot_of(tid);
  if (slots_[i].tid != tid) return;
  slots_[i] = Tracee{};
  --size_;
  // Backward shift: move later members of the probe run into the hole when that brings them
  // no further from their home slot.
  for (std::size_t j = (i + 1) & mask; slots_[j].tid != 0; j = (j + 1) & mask) {
    std::size_t home = hash(slots_[j].tid) & mask;
    if (((j - home) & mask) >= ((j - i) & mask)) {
      slots_[i] = std::exchange(slots_[j], Tracee{});
      i = j;
    }
  }
}

void TraceeTable::grow() {
  std::vector<Tracee> old(slots_.size() * 2);
  std::swap(old, slots_);
  for (Tracee& t : old)
    if (t.tid != 0) slots_[slot_of(t.tid)] = t;
}

}  // namespace redirect::engine
