// Per-thread tracer state and the table that finds it by tid at every stop. A Tracee is what
// must survive from a syscall's entry stop to its exit stop: the argument registers we changed
// and their original values (PRoot src/tracee/tracee.h keeps ORIGINAL/MODIFIED register sets
// for the same reason). The surprise: a tid can appear before we are told about it (a new
// child's first stop may be reported before its parent's PTRACE_EVENT_FORK, ptrace(2)) and can
// change identity (after an exec in a non-leader thread the thread takes the leader's tid), so
// the table creates entries on first sight and the tracer moves them on exec.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/arch/arch.h"
#include "engine/exit_plan.h"
#include "rules/sys.h"

namespace redirect::engine {

struct AddressSpace;  // scratch_area.h

struct Tracee {
  pid_t tid = 0;
  bool in_syscall = false;  ///< ptrace mode: an entry stop was seen, its exit was not
  ExitPlan exit_plan;  ///< what this thread's current call's exit stop must do
  /// The thread's alternate signal stack [lo, hi) as its last sigaltstack() set it (0, 0 =
  /// none): below lo is the program's own memory, not free stack, so scratch must stay above.
  std::uint64_t altstack_lo = 0, altstack_hi = 0;
  /// redirect's scratch memory in the thread's address space (shared by the threads and vfork
  /// children that share it); null until the thread first needs it or learns it from its parent.
  std::shared_ptr<AddressSpace> space;
  std::int32_t slot = -1;  ///< the scratch slot held until the exit stop, -1 for none
  /// A rewritten call of this thread that returns through its slot's stub (one_stop.h): what
  /// the stub puts back, kept here so that a signal-delivery stop can finish it in its place.
  struct StubCall {
    std::uint64_t stub = 0;  ///< the stub's address; 0: none may be running
    std::array<std::uint64_t, 6> args{};  ///< the program's own argument registers
    std::uint64_t ret = 0;  ///< the address after the program's syscall instruction
    std::uint64_t header = 0;  ///< its header in the slot, where the stub stores the result
  } stub_call;
  [[nodiscard]] bool exit_planned() const { return exit_plan.planned(); }
};

/// Open-addressing hash table of Tracees keyed by tid. Lookups and erases never allocate;
/// inserts allocate only when the table grows (doubling past half full), so the steady state
/// of a run allocates nothing per stop.
class TraceeTable {
 public:
  /// `expected`: tracees alive at once before the first growth. Small by default: most runs
  /// have a few, and every slot is zeroed memory touched at start-up.
  explicit TraceeTable(std::size_t expected = 16);

  /// The tracee `tid`, or null.
  [[nodiscard]] Tracee* find(pid_t tid);
  /// The tracee `tid`, created in its initial state if unknown.
  Tracee& get_or_add(pid_t tid);
  /// Forgets `tid`; not an error if unknown.
  void erase(pid_t tid);
  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  std::size_t slot_of(pid_t tid) const;  // where tid is, or the empty slot it would go in
  void grow();
  std::vector<Tracee> slots_;  // tid 0 = empty
  std::size_t size_ = 0;
};

}  // namespace redirect::engine
