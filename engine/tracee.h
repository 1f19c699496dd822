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
#include "rules/sys.h"

namespace redirect::engine {

struct AddressSpace;  // scratch_area.h

/// The registers to put back at the exit stop of a syscall we changed.
struct PendingRestore {
  const arch::Personality* personality = nullptr;  ///< null: nothing pending
  std::uint8_t count = 0;                          ///< saved arguments
  std::array<std::uint8_t, rules::kSyscallArgs> arg{};               ///< their register positions
  std::array<std::uint64_t, rules::kSyscallArgs> value{};            ///< the tracee's own values
  int deny_errno = 0;  ///< ptrace mode: set the result to -deny_errno again at exit
  std::string_view syscall;  ///< its name (static text), for messages
  bool want_result = false;  ///< read the result at the exit stop
  /// The rules whose rewrites this call carries (CompiledRule::id), for --stats' failures.
  std::uint8_t rule_count = 0;
  std::array<std::uint32_t, rules::kSyscallArgs> rule_ids{};
  /// A sigaltstack() call asked for this alternate stack; it is in force only if the call
  /// returns 0 (it fails with ENOMEM, EPERM or EFAULT and keeps the old one).
  bool altstack_pending = false;
  std::uint64_t altstack_lo = 0, altstack_hi = 0;
  /// A getcwd whose answer is read back to the program's view (getcwd_view.h): its buffer
  /// (0: none) and size.
  std::uint64_t getcwd_buf = 0, getcwd_size = 0;
};

struct Tracee {
  pid_t tid = 0;
  bool in_syscall = false;  ///< ptrace mode: an entry stop was seen, its exit was not
  PendingRestore restore;
  /// The thread's alternate signal stack [lo, hi) as its last sigaltstack() set it (0, 0 =
  /// none): below lo is the program's own memory, not free stack, so scratch must stay above.
  std::uint64_t altstack_lo = 0, altstack_hi = 0;
  /// redirect's scratch memory in the thread's address space (shared by the threads and vfork
  /// children that share it); null until the thread first needs it or learns it from its parent.
  std::shared_ptr<AddressSpace> space;
  std::int32_t slot = -1;  ///< the scratch slot held until the exit stop, -1 for none
  [[nodiscard]] bool restore_pending() const { return restore.personality != nullptr; }
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
