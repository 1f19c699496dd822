// `redirect lint [--strict] [--format text|json] FILE...`: everything a run would reject, plus
// warnings for rules that can never decide, for every file in one pass. The files are checked
// together, in the order given, because that is how a run combines them (an earlier file's
// catch-all shadows a later file's rule).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/arch/native.h"
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
  std::vector<std::string> paths;
  app.add_flag("--strict", strict, "Fail on warnings too");
  app.add_option("--format", format, "Output format for diagnostics")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("FILE", paths, "Rule files, checked together in this order")->required();
  app.footer(
      "Exit status: 0 when every file is valid (warnings allowed unless --strict), 1 when any "
      "has an error, 125 on bad usage.\nExample: redirect lint --strict examples/*.toml");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_tool_failed;
  }

  rules::Diagnostics diags;
  auto files = load_rule_files(paths, diags);
  // Compiling for the native arch reports syscall, argument and pattern errors; the checks
  // behind them do not depend on the arch, so one compilation finds them all.
  (void)rules::Matcher::compile(files, arch::native::personalities[0].audit_arch, diags);
  rules::lint_rules(files, diags);

  if (format == "json") {
    std::string text = rules::format_json(sorted_diagnostics(diags, files));
    std::fputs(text.c_str(), stdout);
    std::fputc('\n', stdout);
  } else {
    print_diagnostics(diags, files);
    if (!diags.empty())
      std::fprintf(stderr, "%zu error(s), %zu warning(s) in %zu file(s)\n", diags.error_count(),
                   diags.warning_count(), files.size());
  }
  bool failed = diags.has_errors() || (strict && diags.warning_count() > 0);
  return failed ? exit_lint_failed : exit_ok;
}

}  // namespace redirect::cli
