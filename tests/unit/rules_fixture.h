// Helpers for unit tests of the policy side: rules from in-memory TOML with a fixed
// environment, so tests never depend on the machine's variables.
#pragma once

#include <doctest/doctest.h>
#include <linux/audit.h>

#include <climits>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rules/loader.h"
#include "rules/matcher.h"

namespace redirect::test {

inline rules::EnvLookup fixed_env(std::map<std::string, std::string> vars = {
                                      {"HOME", "/home/user"}, {"SNAP", "/snap/hello/1"}}) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline std::vector<rules::RuleFile> parse(std::string_view toml, rules::Diagnostics& diags,
                                          std::string_view path = "test.toml") {
  std::vector<rules::RuleFile> files;
  files.push_back(rules::parse_rules(path, toml, fixed_env(), diags));
  return files;
}

/// All diagnostics as "path:line:col: severity: message" lines joined by '\n'.
inline std::string text_of(const rules::Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.all()) out += rules::format_text(d) + "\n";
  return out;
}

/// The Matcher of `toml` for `arch`; the test fails (with the diagnostics) when it has errors.
inline rules::Matcher compile_ok(std::string_view toml, std::uint32_t arch = AUDIT_ARCH_X86_64) {
  rules::Diagnostics diags;
  auto files = parse(toml, diags);
  auto m = rules::Matcher::compile(files, arch, diags);
  INFO(text_of(diags));
  REQUIRE(m.has_value());
  REQUIRE_FALSE(diags.has_errors());
  return std::move(*m);
}

/// The bundle's prefix rule "app" of the view tests: /etc/app and below to /snap/app/etc, for
/// `syscalls` (a TOML array's inside: R"("openat", "chdir")").
inline std::string etc_app_rule(std::string_view syscalls) {
  return "[[rule]]\nname = \"app\"\nsyscalls = [" + std::string(syscalls) +
         "]\nmatch = '^/etc/app(/.*)?$'\nreplace = '/snap/app/etc$1'\n";
}

/// decide() with a PATH_MAX buffer, returning the rewritten string (or a description).
struct Outcome {
  rules::Action action;
  std::string rule;
  std::string value;  // rewrite: the new string
  int error;
};

inline Outcome decide(const rules::Matcher& m, long nr, unsigned arg, std::string_view value) {
  static char buffer[PATH_MAX];
  auto d = m.decide(nr, arg, value, buffer);
  return {d.action, d.rule ? d.rule->name : "", std::string(d.replacement), d.error};
}

}  // namespace redirect::test
