// Which (syscall, argument) pairs a rule applies to, worked out from its `syscalls` and `args`
// with the syscall table alone, so the answer is the same for every architecture. The Matcher
// turns these into native numbers; lint compares them between rules to find dead ones.
#pragma once

#include <cstdint>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/rule.h"
#include "rules/sys.h"

namespace redirect::rules {

/// `arg` of a target that is the call itself: a deny or allow rule naming a syscall that has
/// no string argument (io_uring_setup) applies to every call of it; its pattern is matched
/// against the empty string.
inline constexpr std::uint8_t kWholeCall = 0xff;

struct Target {
  Sys sys;
  std::uint8_t arg;  // argument index, or kWholeCall
  friend auto operator<=>(const Target&, const Target&) = default;
};

/// The sorted, duplicate-free targets of `rule`. Problems (unknown syscall or class with a
/// did-you-mean, a syscall named explicitly that has no string argument, an `args` index that
/// is not a string argument of an explicitly named syscall or of any syscall of the rule) are
/// reported into `diags` at the offending value; the targets that are fine are still returned.
/// A syscall without string arguments named explicitly by a deny or allow rule (and no `args`)
/// yields a kWholeCall target; a rewrite rule naming one is an error.
[[nodiscard]] std::vector<Target> rule_targets(const Rule& rule, Diagnostics& diags);

}  // namespace redirect::rules
