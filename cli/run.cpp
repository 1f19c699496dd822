// `redirect [OPTIONS] [--] PROG [ARGS...]`: load and compile the rules, then run PROG under the
// tracer. Option parsing stops at the first word that is not an option (CLI11's prefix
// command), so `redirect -r r.toml cat -n f` passes -n to cat. The rules are compiled once per
// ABI the program may use (x86_64 and i386 on an x86_64 host) before anything starts, so a
// bad rule file fails with exit 125 before the program runs at all. redirect returns when the
// program does: the tracer runs apart (engine/run_apart.h) and goes on tracing what the
// program left running, unless --wait-all asks to wait for every descendant here.
#include <algorithm>
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "cli/help_format.h"
#include "cli/inproc_backend.h"
#include "cli/inproc_collector.h"
#include "cli/commands.h"
#include "cli/rule_set.h"
#include "cli/run_support.h"
#include "cli/exit_status.h"
#include "engine/log.h"
#include "engine/run_apart.h"
#include "engine/own_output.h"
#include "engine/tracer.h"
#include "rules/lint.h"
#include "rules/matcher.h"

#ifndef REDIRECT_VERSION
#define REDIRECT_VERSION "unknown"
#endif

namespace redirect::cli {
namespace {

// "redirect 0.1.0 (x86_64: rewrites x86_64 and i386 programs)": the version, the architecture
// this binary was built for, and the syscall ABIs it rewrites there.
std::string version_line() {
  std::string abis;
  for (const arch::Personality& p : arch::native::personalities)
    abis += fmt::format("{}{}", abis.empty() ? "" : " and ", p.name);
  return fmt::format("redirect {} ({}: rewrites {} programs)\n{}", REDIRECT_VERSION,
                     arch::native::personalities[0].name, abis, inproc_support_line());
}

constexpr const char* footer = R"(Usage: redirect --rules FILE [OPTIONS] [--] PROG [ARGS...]
       redirect lint [--strict] [--format text|json] FILE...      (check rule files)
       redirect explain --rules FILE SYSCALL STRING                (which rule decides)
       redirect trace [--rules FILE] [--suggest ROOT] PROG [ARGS]  (what PROG tried; rules)
Options end at the first word that is not one: `redirect -r r.toml cat -n f` passes -n to cat.

Examples:
  redirect --rules app.toml myprog --flag file
  redirect -r base.toml -r local.toml --log - -- python3 script.py
  redirect -r app.toml --dry-run --log decisions.txt make
  redirect -r app.toml --stats --mode ptrace ls /etc
  redirect -r app.toml --wait-all ./test-suite     (return when every descendant has ended)

redirect returns when PROG exits; what PROG left running (daemons, background jobs) stays
traced by a tracer of its own until the last of it exits, and dies with that tracer.

Exit status: the program's own; 128+N when signal N killed it; 125 when redirect fails (bad
usage, bad rules, tracing refused); 126 when PROG cannot be executed; 127 when not found.)";

struct RunOptions {
  std::vector<std::string> rule_paths;
  std::string mode = "seccomp";
  std::string backend = "ptrace";
  std::string log_path;
  bool log_append = false;
  bool dry_run = false;
  bool stats = false;
  bool verbose = false;
  bool wait_all = false;
  bool two_stops = false;
  std::vector<std::string> command;
};

// nullopt: exit with `status` (help, version, usage error already printed).
std::optional<RunOptions> parse(int argc, char** argv, int& status) {
  CLI::App app{"Run PROG with the file paths it passes to the kernel rewritten by rules.",
               "redirect"};
  usage_first(app, "redirect --rules FILE [OPTIONS] [--] PROG [ARGS...]");
  app.prefix_command();
  app.footer(footer);
  RunOptions o;
  app.add_option("-r,--rules", o.rule_paths, "Rule file (TOML); repeat for several, in order")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--mode", o.mode,
                 "seccomp: stop only at the named syscalls (default); "
                 "ptrace: stop at every syscall")
      ->check(CLI::IsMember({"seccomp", "ptrace"}));
  app.add_option("--backend", o.backend,
                 "ptrace: trace PROG from outside (default); inproc: a library in PROG's own "
                 "process (x86_64, Linux >= 5.11; no ptrace needed, as in a strict snap); "
                 "auto: ptrace when PROG can be traced, else inproc")
      ->check(CLI::IsMember({"ptrace", "inproc", "auto"}));
  app.add_option("-o,--log", o.log_path,
                 "Log every decision to FILE ('-' = stderr); an existing FILE is truncated "
                 "first, unless --log-append")
      ->type_name("FILE");
  app.add_flag("--log-append", o.log_append,
               "Add to the end of the --log FILE, keeping what it holds");
  app.add_flag("--dry-run", o.dry_run, "Decide and log, but change nothing");
  app.add_flag("--stats", o.stats,
               "Print rule hit counts and stop counts on stderr when the last tracee has exited");
  app.add_flag("--wait-all", o.wait_all,
               "Return when every process PROG started has exited, not when PROG has "
               "(as strace -f does)");
  app.add_flag("--two-stops", o.two_stops,
               "Stop at the exit of every rewritten syscall too, to put its registers back "
               "(the default puts them back with a stub in redirect's mapping, where it can)");
  app.add_flag("-v,--verbose", o.verbose, "Say what the tracer sets up");
  app.set_version_flag("--version", version_line());
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    status = app.exit(e) == 0 ? exit_ok : exit_tool_failed;
    return std::nullopt;
  }
  o.command = app.remaining();
  if (!o.command.empty() && o.command.front() == "--") {
    o.command.erase(o.command.begin());
  } else if (!o.command.empty() && o.command.front().size() > 1 && o.command.front()[0] == '-') {
    // CLI11's prefix mode hands unknown options over as the command: a typo, not a program.
    fmt::print(stderr,
               "redirect: unknown option {}\nRun with --help for more information (a program "
               "whose name starts with '-' goes after --).\n",
               o.command.front());
    status = exit_tool_failed;
    return std::nullopt;
  }
  if (o.rule_paths.empty() || o.command.empty()) {
    std::string why = o.rule_paths.empty() ? "--rules FILE is required" : "no program to run";
    // `redirect cat x --rules f`: the words after PROG are PROG's, so --rules went to cat.
    for (const std::string& word : o.command)
      if (o.rule_paths.empty() && (word == "-r" || word.starts_with("--rules")))
        why += fmt::format(" (the {} after {} belongs to {}: options after PROG belong to PROG; "
                           "put redirect's options before it)",
                           word, o.command.front(), o.command.front());
    fmt::print(stderr,
               "redirect: {}\nUsage: redirect --rules FILE [OPTIONS] [--] PROG [ARGS...]"
               "\nRun with --help for more information.\n",
               why);
    status = exit_tool_failed;
    return std::nullopt;
  }
  return o;
}

// The options of the ptrace engine, which the in-process backend has no use for: refused,
// never ignored.
std::optional<std::string> unsupported_in_process(const RunOptions& o) {
  if (o.two_stops) return "--two-stops";
  if (o.mode != "seccomp") return "--mode";
  return std::nullopt;
}

void print_stats(const engine::Stats& stats, const rules::Matcher& names, bool in_process);

// The --log file, opened (truncated unless --log-append) when asked. False when it cannot be,
// or names a rule file (said on stderr).
bool open_log(const RunOptions& o, std::optional<engine::DecisionLog>& log) {
  if (o.log_path.empty()) return true;
  if (std::optional<std::string> rules = rule_file_among(o.log_path, o.rule_paths);
      rules && o.log_path != "-") {
    fmt::print(stderr, "redirect: --log {}: that is the rule file {} given with --rules; "
                       "refusing to overwrite it with the log\n", o.log_path, *rules);
    return false;
  }
  std::string error;
  log = engine::DecisionLog::open(o.log_path, o.log_append, error);
  if (!log) fmt::print(stderr, "redirect: cannot open log file {}: {}\n", o.log_path, error);
  return log.has_value();
}

void say_dry_run() {
  fmt::print(stderr,
             "redirect: --dry-run: nothing is rewritten or denied; the program runs for real "
             "against the original paths (its writes land there)\n");
}

// --backend inproc, or auto where a child cannot be traced: execs PROG in-process-redirected
// and returns only on failure, with the exit status; with --log, --stats, --dry-run or
// --wait-all runs it as a child and collects its decisions (inproc_collector.h), with
// --wait-all until every process holding the record descriptor has exited. nullopt: a ptrace
// run.
std::optional<int> run_without_ptrace(RunOptions& o, const RecordingEnv& env,
                                      const rules::Matcher& rules) {
  if (o.backend == "ptrace") return std::nullopt;
  if (o.backend == "auto") {
    if (can_trace_children()) return std::nullopt;
    fmt::print(stderr, "redirect: --backend auto: cannot trace a child here (ptrace refused); "
                       "using --backend inproc\n");
  }
  if (std::optional<std::string> option = unsupported_in_process(o)) {
    fmt::print(stderr, "redirect: {} is ptrace's (how the tracer stops); --backend inproc has no "
                       "tracer\n", *option);
    return exit_tool_failed;
  }
  if (o.log_path.empty() && !o.stats && !o.dry_run && !o.wait_all)
    return exec_inproc(o.rule_paths, env, o.command);
  std::optional<engine::DecisionLog> log;
  if (!open_log(o, log)) return exit_tool_failed;
  if (o.dry_run) say_dry_run();
  engine::Stats stats;
  StderrNotices notices;
  CollectedRun run{&o.rule_paths, &env, &rules, o.dry_run, log ? &*log : nullptr};
  run.wait_all = o.wait_all;
  const int status = run_inproc_collected(run, o.command, stats, notices);
  if (o.stats) print_stats(stats, rules, true);
  return status;
}

// The lines about the ptrace engine: its stops, its own syscalls, one-stop rewrites, placement.
void format_engine_stats(fmt::memory_buffer& text, const engine::Stats& stats) {
  auto out = std::back_inserter(text);
  fmt::format_to(out,
                 "redirect: stats: engine: {} injected syscalls (scratch mapping), {} stops of "
                 "the program's own seccomp filter (ENOSYS)\n",
                 stats.injected, stats.foreign_seccomp);
  // A one-stop rewrite's result is read from its slot at the thread's next stop; one whose
  // thread ended first (killed with its process) is not seen, nor counted as failed.
  fmt::format_to(out,
                 "redirect: stats: rewrites: {} in one stop ({} results not seen), {} in two "
                 "stops, {} signals unwound from the return stub\n",
                 stats.one_stop, stats.one_stop_unseen,
                 stats.rewritten - std::min(stats.rewritten, stats.one_stop), stats.stub_unwinds);
  fmt::format_to(out,
                 "redirect: stats: placement: shared the program's CPU {} times (left {} times), "
                 "{} moves onto its CPU\n",
                 stats.cpu_shared, stats.cpu_unshared, stats.cpu_moves);
}

// Written like the log (own_output.h): stderr gone is no reason to fail a run that is over.
// In-process there are no stops and no engine: those lines give way to one about the decision
// records; the syscall and rule lines are the same.
void print_stats(const engine::Stats& stats, const rules::Matcher& names, bool in_process) {
  fmt::memory_buffer text;
  auto out = std::back_inserter(text);
  if (!in_process)
    fmt::format_to(out,
                   "redirect: stats: stops: {} seccomp, {} syscall entry, {} syscall exit, {} "
                   "signal, {} other\n",
                   stats.seccomp_stops, stats.entry_stops, stats.exit_stops, stats.signal_stops,
                   stats.other_stops);
  fmt::format_to(out,
                 "redirect: stats: syscalls: {} rewritten ({} then failed in the kernel), {} "
                 "failed (deny or error; {} of them a pattern that gave up), {} arguments "
                 "unreadable, {} relative to an unnamed directory, {} of unknown ABIs\n",
                 stats.rewritten, stats.rewritten_failed, stats.denied, stats.match_errors,
                 stats.unreadable, stats.unresolved, stats.foreign);
  if (in_process)
    fmt::format_to(out,
                   "redirect: stats: in-process: {} decision records received, {} lost (not "
                   "sent), {} dropped (made no sense)\n",
                   stats.records, stats.records_lost, stats.records_bad);
  else
    format_engine_stats(text, stats);
  for (const rules::CompiledRule& r : names.rules()) {
    std::uint64_t hits = r.id < stats.rule_hits.size() ? stats.rule_hits[r.id] : 0;
    std::uint64_t failed = r.id < stats.rule_failed.size() ? stats.rule_failed[r.id] : 0;
    fmt::format_to(out, "redirect: stats: rule {} ({}:{}): {} hits, {} rewritten calls failed\n",
                   r.label, r.path, r.pos.line, hits, failed);
  }
  engine::OwnOutput(STDERR_FILENO, "--stats (stderr)").write({text.data(), text.size()});
}

}  // namespace

int run_main(int argc, char** argv) {
  int status = exit_ok;
  std::optional<RunOptions> o = parse(argc, argv, status);
  if (!o) return status;

  rules::Diagnostics diags;
  RecordingEnv env;
  std::vector<rules::RuleFile> files = load_rule_files(o->rule_paths, diags, env.lookup());
  std::vector<rules::Matcher> matchers = compile_for_every_abi(files, diags);
  // A rule that can only match a relative string in a file of resolved paths never matches.
  if (!matchers.empty()) rules::lint_relative_patterns(matchers.front().rules(), diags);
  // Warnings are printed too (a set but empty @{SNAP} turns "@{SNAP}/etc" into the host's
  // "/etc"), once, before the program starts; only errors stop the run.
  if (!diags.empty()) print_diagnostics(diags, files);
  if (diags.has_errors()) return exit_tool_failed;
  std::vector<const rules::Matcher*> by_arch;
  for (const rules::Matcher& m : matchers) by_arch.push_back(&m);
  if (std::optional<int> done = run_without_ptrace(*o, env, matchers.front())) return *done;

  std::optional<engine::DecisionLog> log;
  if (!open_log(*o, log)) return exit_tool_failed;

  engine::TracerOptions options;
  options.mode = o->mode == "ptrace" ? engine::Mode::ptrace : engine::Mode::seccomp;
  options.verbose = o->verbose;
  options.rewrite.dry_run = o->dry_run;
  options.read_results = o->stats;
  options.one_stop = !o->two_stops;
  if (o->dry_run) say_dry_run();
  engine::Stats stats;
  std::vector<char*> command;
  for (std::string& word : o->command) command.push_back(word.data());
  command.push_back(nullptr);

  StderrNotices notices;
  // Traces the program and everything it starts until the last has exited; prints --stats
  // then. Returns the outcome, or nullopt when our own syscalls failed (said on stderr).
  auto trace = [&](engine::ProgramWatcher* watcher) -> std::optional<engine::RunOutcome> {
    options.watcher = watcher;
    std::optional<engine::RunOutcome> outcome;
    try {
      engine::Tracer tracer(by_arch, options, log ? &*log : nullptr, stats, notices);
      outcome = tracer.run(command.data());
    } catch (const std::system_error& e) {
      fmt::print(stderr, "redirect: {}\n", e.what());
    }
    if (o->stats) print_stats(stats, matchers.front(), false);
    return outcome;
  };
  if (o->wait_all) {
    std::optional<engine::RunOutcome> outcome = trace(nullptr);
    return outcome ? exit_status_for(*outcome, command.front()) : exit_tool_failed;
  }
  // The tracer keeps the log, and stderr when it is written to at the very end.
  std::vector<int> keep;
  if (log) keep.push_back(log->fd());
  if (o->stats) keep.push_back(STDERR_FILENO);
  try {
    engine::RunOutcome outcome = engine::run_apart(
        [&](engine::WaiterLink& link) {
          std::optional<engine::RunOutcome> outcome = trace(&link);
          if (!outcome) return exit_tool_failed;
          link.finish(*outcome);
          return exit_ok;
        },
        keep);
    return exit_status_for(outcome, command.front());
  } catch (const std::system_error& e) {
    fmt::print(stderr, "redirect: {}\n", e.what());
    return exit_tool_failed;
  }
}

}  // namespace redirect::cli
