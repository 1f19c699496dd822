// `redirect lint [--strict] [--format text|json] [-D NAME=VALUE]... FILE...`: everything a run
// would reject, plus warnings for rules that can never decide, for every file in one pass. The
// files are checked together, in the order given, because that is how a run combines them (an
// earlier file's catch-all shadows a later file's rule).
//
// Packagers lint at build time, where $SNAP and friends do not exist: an unset @{VAR} without
// a default is checked with a placeholder and a note (never a failure, even with --strict);
// -D gives a value, --require-env makes unset variables errors as they are in a run.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/rule_set.h"
#include "cli/exit_status.h"
#include "rules/lint.h"
#include "rules/matcher.h"

namespace redirect::cli {

int lint_main(int argc, char** argv) {
  CLI::App app{"Check rule files: every error a run would report, and rules that never decide.",
               "redirect lint"};
  bool strict = false;
  std::string format = "text";
  bool require_env = false;
  std::vector<std::string> defines;
  std::vector<std::string> paths;
  app.add_flag("--strict", strict, "Fail on warnings too");
  app.add_option("-D,--define", defines,
                 "Give @{NAME} the value VALUE (repeatable; wins over the environment)")
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--require-env", require_env,
               "An unset @{NAME} without a default is an error, as in a run (default: a note, "
               "and a placeholder is checked in its place)");
  app.add_option("--format", format, "Output format for diagnostics")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("FILE", paths, "Rule files, checked together in this order")->required();
  app.footer(
      "Exit status: 0 when every file is valid (warnings allowed unless --strict), 1 when any "
      "has an error, 125 on bad usage.\nExample: redirect lint --strict -D SNAP=/snap/app/x1 "
      "examples/*.toml");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_tool_failed;
  }

  std::map<std::string, std::string, std::less<>> values;
  for (const std::string& d : defines) {
    const std::size_t eq = d.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "redirect lint: -D %s: expected NAME=VALUE\n", d.c_str());
      return exit_tool_failed;
    }
    values[d.substr(0, eq)] = d.substr(eq + 1);
  }
  rules::EnvLookup env = [&values, process = rules::process_env()](
                             std::string_view name) -> std::optional<std::string> {
    if (auto it = values.find(name); it != values.end()) return it->second;
    return process(name);
  };

  rules::Diagnostics diags;
  auto files = load_rule_files(
      paths, diags, env,
      require_env ? rules::UnsetVariables::error : rules::UnsetVariables::placeholder);
  // Compiling reports syscall, argument and pattern errors (they do not depend on the arch);
  // the lint checks then work on the same compiled rules.
  const rules::RuleSet compiled = rules::compile_rules(files, diags);
  rules::lint_rules(compiled, diags);

  if (format == "json") {
    std::string text = rules::format_json(sorted_diagnostics(diags, files));
    std::fputs(text.c_str(), stdout);
    std::fputc('\n', stdout);
  } else {
    print_diagnostics(diags, files);
    if (diags.error_count() + diags.warning_count() > 0)
      std::fprintf(stderr, "%zu error(s), %zu warning(s) in %zu file(s)\n", diags.error_count(),
                   diags.warning_count(), files.size());
  }
  bool failed = diags.has_errors() || (strict && diags.warning_count() > 0);
  return failed ? exit_lint_failed : exit_ok;
}

}  // namespace redirect::cli
