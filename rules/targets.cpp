// Resolution of a rule's `syscalls` and `args` into (syscall, argument) targets. The asymmetry
// between names and classes is deliberate: a syscall named explicitly must have the argument the
// rule asks for (naming it was a promise), while a class is a convenient set whose members
// simply skip indexes that are not strings for them, so one rule serves syscalls whose string
// arguments sit at different indexes.
#include "rules/targets.h"

#include <algorithm>
#include <fmt/format.h>

#include "rules/syscall_table.h"

namespace redirect::rules {
namespace {

std::string list_args(ArgMask mask) {
  std::string out;
  for (unsigned i = 0; i < 8; ++i) {
    if (mask & (1u << i)) out += fmt::format("{}{}", out.empty() ? "" : ", ", i);
  }
  return out.empty() ? "none" : out;
}

std::string unknown_name_message(std::string_view what, const std::string& name) {
  auto guess = suggest_syscall_or_class(name);
  if (guess) return fmt::format("unknown {} '{}' (did you mean '{}'?)", what, name, *guess);
  return fmt::format("unknown {} '{}'", what, name);
}

struct Selected {
  Sys sys;
  bool explicit_name;
  SourcePos pos;
};

}  // namespace

std::vector<Target> rule_targets(const Rule& rule, Diagnostics& diags) {
  std::vector<Selected> selected;
  for (const auto& written : rule.syscalls) {
    const std::string& name = written.value;
    if (name.starts_with('%')) {
      auto cls = find_class(name);
      if (!cls) {
        diags.error(rule.path, written.pos, unknown_name_message("syscall class", name));
        continue;
      }
      for (Sys s : expand_class(*cls)) selected.push_back({s, false, written.pos});
      continue;
    }
    auto sys = find_syscall(name);
    if (!sys) {
      diags.error(rule.path, written.pos, unknown_name_message("syscall", name));
      continue;
    }
    if (syscall_info(*sys).strings == 0 && (rule.args || rule.action.value == Action::rewrite)) {
      diags.error(rule.path, written.pos,
                  fmt::format("syscall '{}' has no string argument to {}", name,
                              rule.args ? "select with 'args'" : "rewrite"));
      continue;
    }
    selected.push_back({*sys, true, written.pos});
  }

  std::vector<Target> targets;
  if (!rule.args) {
    // Default: every path argument of every selected syscall.
    for (const auto& s : selected) {
      const SyscallInfo& info = syscall_info(s.sys);
      for (std::uint8_t i = 0; i < 8; ++i)
        if (info.paths & (1u << i)) targets.push_back({s.sys, i});
      // A deny/allow of a call that has no string at all (checked above for explicit names;
      // class members without strings are simply not selected).
      if (s.explicit_name && info.strings == 0) targets.push_back({s.sys, kWholeCall});
    }
  } else {
    for (const auto& index : *rule.args) {
      bool used = false;
      bool reported = false;
      for (const auto& s : selected) {
        const SyscallInfo& info = syscall_info(s.sys);
        bool is_string = index.value >= 0 && index.value < 8 && (info.strings & (1u << index.value));
        if (is_string) {
          targets.push_back({s.sys, static_cast<std::uint8_t>(index.value)});
          used = true;
        } else if (s.explicit_name && !reported) {
          diags.error(rule.path, index.pos,
                      fmt::format("argument {} of '{}' is not a string (its string arguments: {})",
                                  index.value, info.name, list_args(info.strings)));
          reported = true;
        }
      }
      if (!used && !reported && !selected.empty()) {
        diags.error(rule.path, index.pos,
                    fmt::format("argument {} is not a string argument of any syscall of rule {}",
                                index.value, rule_label(rule)));
      }
    }
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  return targets;
}

}  // namespace redirect::rules
