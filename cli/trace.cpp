// `redirect trace [OPTIONS] [--] PROG [ARGS...]`: run PROG (under rules or none) and record every
// path syscall of every process it starts: who made it, the absolute path the kernel reached,
// what a rule did, and the result. Then a summary for the packager, or one JSON object per
// call (--format json), and with --suggest ROOT a rule file mapping what the program looked
// for into the bundle at ROOT. The program's stdout and stderr stay its own: the report goes
// to stderr or --report FILE, and the exit status is the program's, as for a run.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/help_format.h"
#include "cli/commands.h"
#include "cli/exit_status.h"
#include "cli/rule_set.h"
#include "cli/run_support.h"
#include "cli/suggest.h"
#include "cli/trace_report.h"
#include "engine/own_output.h"
#include "engine/path_events.h"
#include "engine/tracer.h"

namespace redirect::cli {
namespace {

constexpr const char* footer = R"(The report goes to stderr (or --report FILE); the program's own output is untouched and
the exit status is the program's, as for a run. --format json writes one JSON object per
call instead of the summary (fields in docs/trace.md).

Examples:
  redirect trace -- python3 app.py
  redirect trace --rules app.toml --report trace.txt -- sqlite3 app.db .tables
  redirect trace --suggest prime/ -o app.toml -- prime/usr/bin/app
  redirect trace --format json --report calls.jsonl -- make)";

struct TraceOptions {
  std::vector<std::string> rule_paths;
  std::string format = "text";
  std::string report = "-";
  std::string suggest_root;
  std::string var = "SNAP";
  std::string rules_out = "suggested-rules.toml";
  std::string mode = "seccomp";
  bool dry_run = false;
  std::vector<std::string> command;
};

std::optional<TraceOptions> parse(int argc, char** argv, int& status) {
  CLI::App app{"Run PROG and report every path it passes to the kernel, what rules did with it "
               "and the result; suggest rules for a bundle.",
               "redirect trace"};
  usage_first(app, "redirect trace [OPTIONS] [--] PROG [ARGS...]");
  app.prefix_command();
  app.footer(footer);
  TraceOptions o;
  app.add_option("-r,--rules", o.rule_paths, "Rule file to apply while tracing; repeat for several")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--format", o.format, "text: a summary at the end (default); json: one object "
                                       "per call, one per line")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--report", o.report, "Write the summary or the JSON lines to FILE ('-' = "
                                       "stderr, the default)")
      ->type_name("FILE");
  auto* suggest = app.add_option("--suggest", o.suggest_root,
                                 "Suggest rules that map what the program looked for into the "
                                 "bundle whose root is ROOT")
                      ->type_name("ROOT");
  app.add_option("--var", o.var, "The variable naming ROOT in suggested rules (default SNAP)")
      ->type_name("NAME")
      ->needs(suggest);
  app.add_option("-o,--rules-out", o.rules_out,
                 "Where --suggest writes the rule file (default suggested-rules.toml)")
      ->type_name("FILE")
      ->needs(suggest);
  app.add_flag("--dry-run", o.dry_run, "Decide and record, but change nothing");
  app.add_option("--mode", o.mode, "seccomp (default) or ptrace, as for a run")
      ->check(CLI::IsMember({"seccomp", "ptrace"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    status = app.exit(e) == 0 ? exit_ok : exit_tool_failed;
    return std::nullopt;
  }
  o.command = app.remaining();
  if (!o.command.empty() && o.command.front() == "--") o.command.erase(o.command.begin());
  if (o.command.empty()) {
    fmt::print(stderr, "redirect trace: no program to run\nRun with --help for more information.\n");
    status = exit_tool_failed;
    return std::nullopt;
  }
  return o;
}

// Receives each call: the summary counts it, and --format json writes it at once (a run that
// is killed still leaves every call up to then).
class Recorder final : public engine::PathObserver {
 public:
  explicit Recorder(engine::OwnOutput* json) : json_(json) {}
  void on_path_event(const engine::PathEvent& e) override {
    report.add(e);
    if (json_ && !json_->dropped()) json_->write(event_json(e) + "\n");
  }
  TraceReport report;

 private:
  engine::OwnOutput* json_;  // dropped after a failed write, the run going on
};

// The bundle root, absolute and without a trailing '/'; nullopt (after saying why) if it is
// no directory.
std::optional<std::string> bundle_root(const std::string& given) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(given, ec).lexically_normal();
  if (ec || !std::filesystem::is_directory(p, ec)) {
    fmt::print(stderr, "redirect trace: --suggest {}: not a directory\n", given);
    return std::nullopt;
  }
  std::string root = p.string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int trace_main(int argc, char** argv) {
  int status = exit_ok;
  std::optional<TraceOptions> o = parse(argc, argv, status);
  if (!o) return status;

  std::optional<std::string> root;
  if (!o->suggest_root.empty() && !(root = bundle_root(o->suggest_root))) return exit_tool_failed;

  rules::Diagnostics diags;
  std::vector<rules::RuleFile> files = load_rule_files(o->rule_paths, diags);
  std::vector<rules::Matcher> matchers = compile_for_every_abi(files, diags);
  if (diags.has_errors()) {
    print_diagnostics(diags, files);
    return exit_tool_failed;
  }
  std::vector<const rules::Matcher*> by_arch;
  for (const rules::Matcher& m : matchers) by_arch.push_back(&m);

  int report_fd = STDERR_FILENO;
  if (o->report != "-") {
    report_fd = ::open(o->report.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (report_fd < 0) {
      fmt::print(stderr, "redirect trace: cannot open {}: {}\n", o->report, std::strerror(errno));
      return exit_tool_failed;
    }
  }
  // A report that cannot be written is dropped with a notice; the program runs on.
  engine::OwnOutput report(report_fd, o->report == "-" ? std::string("the --report (stderr)")
                                                       : "the --report file " + o->report);

  Recorder recorder(o->format == "json" ? &report : nullptr);
  engine::TracerOptions options;
  options.mode = o->mode == "ptrace" ? engine::Mode::ptrace : engine::Mode::seccomp;
  options.rewrite.dry_run = o->dry_run;
  options.read_results = true;
  options.observer = &recorder;
  engine::Stats stats;
  std::vector<char*> command;
  for (std::string& word : o->command) command.push_back(word.data());
  command.push_back(nullptr);

  StderrNotices notices;
  try {
    engine::Tracer tracer(by_arch, options, nullptr, stats, notices);
    status = exit_status_for(tracer.run(command.data()), command.front());
  } catch (const std::system_error& e) {
    fmt::print(stderr, "redirect: {}\n", e.what());
    status = exit_tool_failed;
  }

  // PROG never ran (not found, not executable, tracing refused): its message says it all.
  const bool never_ran = recorder.report.calls() == 0 && status >= exit_tool_failed &&
                         status <= exit_not_found;
  if (o->format == "text" && !never_ran) {
    (void)report.write(recorder.report.summary(matchers.front().rules()));
  }
  if (report_fd != STDERR_FILENO) ::close(report_fd);

  if (root) {
    SuggestOptions so;
    so.root = *root;
    so.var = o->var;
    if (const char* home = std::getenv("HOME")) so.home = home;
    for (const std::string& word : o->command) so.command += (so.command.empty() ? "" : " ") + word;
    auto exists = [](const std::string& path) {
      struct stat st;
      return ::lstat(path.c_str(), &st) == 0;
    };
    std::string text = suggest_rules(recorder.report.looked_up(), recorder.report.written(), so,
                                     exists);
    if (!write_file(o->rules_out, text)) {
      fmt::print(stderr, "redirect trace: cannot write {}: {}\n", o->rules_out,
                 std::strerror(errno));
      return exit_tool_failed;
    }
    fmt::print(stderr, "redirect trace: suggested rules written to {} (check: redirect lint "
                       "--strict {})\n", o->rules_out, o->rules_out);
  }
  return status;
}

}  // namespace redirect::cli
