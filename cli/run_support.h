// What `redirect PROG` and `redirect trace PROG` share around a traced run: the rules compiled
// for every ABI the program may use, the engine's notices on stderr, and the exit status for
// how the run ended. One place, so that a trace ends, fails and speaks exactly as a run does.
#pragma once

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/notices.h"
#include "engine/tracer.h"
#include "rules/diagnostic.h"
#include "rules/matcher.h"
#include "rules/rule.h"

namespace redirect::cli {

/// One Matcher per ABI of this host, the host's own first; empty when `diags` has errors (the
/// first compile that fails is reported: their diagnostics are the same but for syscalls one
/// ABI lacks, which are skipped, not errors).
[[nodiscard]] std::vector<rules::Matcher> compile_for_every_abi(
    const std::vector<rules::RuleFile>& files, rules::Diagnostics& diags);

/// The engine's notices, on stderr with the "redirect: " prefix.
class StderrNotices final : public engine::Notices {
 public:
  void say(std::string_view line) override;
};

/// redirect's exit status for how the run ended (the program's own, 128+N for signal N, 125,
/// 126, 127), printing the one-line message a failure deserves on stderr.
[[nodiscard]] int exit_status_for(const engine::RunOutcome& outcome, const char* program);

}  // namespace redirect::cli
