// Which syscalls the seccomp filter traps, per ABI: the numbers the rules name, plus the
// engine's own traps (own_traps.h) whenever the rules name anything, plus clone when its flags
// hold CLONE_UNTRACED; `redirect trace` adds every path syscall. Kept apart from the wait loop: it is computed once, before the program
// starts, and printed by -v.
#pragma once

#include <linux/filter.h>

#include <cstddef>
#include <span>
#include <vector>

#include "engine/notices.h"
#include "rules/matcher.h"

namespace redirect::engine {

/// The native numbers to trap for the ABI of `m`, ascending; with `all_paths` (trace) every
/// %file and %exec syscall too, whatever the rules name; with `ends` (--stats reading one-stop
/// results, stub_results.h) exit, exit_group, execve and execveat too, if anything is trapped.
[[nodiscard]] std::vector<int> trapped_numbers(const rules::Matcher& m, bool all_paths = false,
                                               bool ends = false);

/// The seccomp program for every ABI that has a matcher (the host's first).
[[nodiscard]] std::vector<sock_filter> filter_for(std::span<const rules::Matcher* const> matchers,
                                                  bool all_paths = false, bool ends = false);

/// -v: the filter's size, then each ABI's trapped syscalls by name and number (bench/run.py
/// reads the x86_64 line to make its floor tracer trap the same set).
void say_trapped(Notices& notices, std::span<const rules::Matcher* const> matchers,
                 std::size_t instructions, bool all_paths = false, bool ends = false);

}  // namespace redirect::engine
