// The working directory in the program's view: the rule step behind getcwd's answer, shared by
// the ptrace engine (engine/getcwd_view.h, at getcwd's exit stop) and the in-process backend
// (inproc/getcwd_view.h, after its own getcwd). After a chdir a prefix rule redirected, the
// kernel names a directory inside the rule's replacement; read backwards (prefix_map.h) it is
// the prefix the program asked for, and that reading is accepted only when the rules of chdir
// send it forwards to the same directory, so a view is never one the rules would not give.
// Allocates nothing (the in-process SIGSYS handler calls it).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "rules/matcher.h"
#include "rules/prefix_map.h"
#include "rules/regex.h"

namespace redirect::rules {

/// `host`, a directory as the kernel's getcwd names it (no NUL), in the program's view: written
/// into `view` with a NUL after it; returns its length. `reverse` is built with
/// ReverseIndex::Use::getcwd from `m`'s rules; `check` (PATH_MAX bytes) takes the forward
/// rewrite; `state`: where the patterns match (null: each pattern's own, see matcher.h).
/// Nullopt when no rule reads `host` back (the kernel's answer stands) or the view does not
/// fit in `view`.
[[nodiscard]] std::optional<std::size_t> cwd_in_view(const Matcher& m, const ReverseIndex& reverse,
                                                     std::string_view host, std::span<char> view,
                                                     std::span<char> check,
                                                     MatchState* state = nullptr);

}  // namespace redirect::rules
