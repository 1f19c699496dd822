// What `redirect trace --backend inproc` adds to the calls the handler sees: every %file and
// %exec syscall, ruled or not, as the ptrace trace traps them (engine/trap_set.cpp with
// all_paths), so each is recorded with its paths, flags and result (call_record.h). Built at
// arm(), read by the handler. The surprise: a call no rule names would otherwise never reach
// the handler at all (its site is rewritten to skip it: lazy_sites.h), so this set is part of
// needs_handler()'s list.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>

#include "rules/syscall_table.h"

namespace redirect::inproc {

class TracedCalls {
 public:
  /// Adds every x86_64 %file and %exec syscall. Allocates: call it in arm().
  void add_every_path_call();
  /// Whether the trace records x86_64 call `nr`. Handler-safe.
  [[nodiscard]] bool traced(long nr) const {
    return nr >= 0 && nr < rules::max_native_nr && numbers_.test(static_cast<std::size_t>(nr));
  }

 private:
  std::bitset<rules::max_native_nr> numbers_;
};

/// The open flags of x86_64 call `nr` with `args`, as the ptrace trace reads them
/// (engine/path_recorder.cpp): open's and openat's flags, creat's implied
/// O_CREAT|O_WRONLY|O_TRUNC, openat2's open_how.flags (0 when it cannot be read, through the
/// calling thread `tid`: program_copy.h); else 0. Handler-safe.
[[nodiscard]] std::uint64_t open_flags_of(long nr, const std::array<long, 6>& args, int tid);

}  // namespace redirect::inproc
