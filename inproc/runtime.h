// What arm() builds before the program runs and the SIGSYS handler only reads afterwards: the
// compiled rules, the environment strings an exec re-injects, where notices go. One per
// process, never freed (the handler may run until the last instruction of the process).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inproc/arm.h"
#include "inproc/traced_calls.h"
#include "rules/matcher.h"
#include "rules/prefix_map.h"
#include "rules/rule.h"

namespace redirect::inproc {

struct Runtime {
  Config config;
  std::vector<rules::RuleFile> files;  // the Matcher's rules point into these
  std::optional<rules::Matcher> matcher;  // x86_64
  rules::ReverseIndex reverse;           // for ViewResolver
  rules::ReverseIndex getcwd_reverse;    // the prefix rules getcwd is read back by
  int max_captures = 0;                  // the largest capture count of any pattern
  TracedCalls traced;                    // `redirect trace`: every path call (else none)
  /// "LD_AUDIT=..." and "REDIRECT_INPROC_CONFIG=...", NUL-terminated, for every execve.
  std::string ld_audit_entry, config_entry;
};

/// The process's runtime, once arm() made it (null before).
[[nodiscard]] const Runtime* runtime();
void set_runtime(const Runtime* r);

}  // namespace redirect::inproc
