// `redirect trace [OPTIONS] [--] PROG [ARGS...]`: run PROG (under rules or none) and record every
// path syscall of every process it starts: who made it, the absolute path the kernel reached,
// what a rule did, and the result. Then a summary for the packager, or one JSON object per
// call (--format json), and with --suggest ROOT a rule file mapping what the program looked
// for into the bundle at ROOT. The program's stdout and stderr stay its own: the report goes
// to stderr or --report FILE, and the exit status is the program's, as for a run. Like a run,
// the trace ends when the program does (the tracer runs apart, engine/run_apart.h): the report
// and the rules are written then, and say what the program left running; --wait-all records
// those too, until they exit or SIGINT/SIGTERM ends the trace. --no-host-writes fails the
// writes that would land on the host (host_writes.h). --backend inproc (or auto without ptrace)
// gets the same calls from the in-process runtime's records (inproc_path_events.h) into the
// same Recorder and TraceEnd.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
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
#include "cli/host_writes.h"
#include "cli/inproc_backend.h"
#include "cli/inproc_collector.h"
#include "cli/inproc_path_events.h"
#include "cli/rule_set.h"
#include "cli/run_support.h"
#include "cli/suggest.h"
#include "cli/suggest_file.h"
#include "cli/trace_report.h"
#include "engine/own_output.h"
#include "engine/path_events.h"
#include "engine/run_apart.h"
#include "engine/signals.h"
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
  redirect trace --format json --report calls.jsonl -- make
  redirect trace --backend auto --suggest prime/ -o app.toml -- prime/usr/bin/app   (no ptrace? in-process))";

struct TraceOptions {
  std::vector<std::string> rule_paths;
  std::string format = "text";
  std::string report = "-";
  std::string suggest_root;
  std::string var = "SNAP";
  std::string rules_out = "suggested-rules.toml";
  std::string mode = "seccomp";
  std::string backend = "ptrace";
  bool force = false;
  bool dry_run = false;
  bool wait_all = false;
  bool no_host_writes = false;
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
  auto* out = app.add_option("-o,--rules-out", o.rules_out,
                             "Where --suggest writes the rule file (default suggested-rules.toml): "
                             "the --rules files and the new rules, as one file. Never a --rules "
                             "file; an existing file only with --force")
                  ->type_name("FILE")
                  ->needs(suggest);
  app.add_flag("--no-host-writes", o.no_host_writes,
               "Discover without touching the host: a write outside ROOT, /tmp and /var/tmp "
               "that no rule redirects fails with EROFS (and becomes a data rule where it can)")
      ->needs(suggest);
  app.add_flag("--force", o.force, "Let -o replace an existing file (never a --rules file)")
      ->needs(out);
  app.add_flag("--dry-run", o.dry_run, "Decide and record, but change nothing");
  app.add_flag("--wait-all", o.wait_all,
               "Record every process PROG started until it exits, not only until PROG does "
               "(SIGINT or SIGTERM then ends the trace, killing what is left)");
  app.add_option("--mode", o.mode, "seccomp (default) or ptrace, as for a run (ptrace backend only)")
      ->check(CLI::IsMember({"seccomp", "ptrace"}));
  app.add_option("--backend", o.backend,
                 "ptrace: trace PROG from outside (default); inproc: a library in PROG records "
                 "its calls, no ptrace needed (docs/inproc.md); auto: ptrace when PROG can be "
                 "traced, else inproc")
      ->check(CLI::IsMember({"ptrace", "inproc", "auto"}));
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
// is killed still leaves every call up to then). After close() (the report is written) the
// calls of what the program left running are no longer recorded.
class Recorder final : public engine::PathObserver {
 public:
  explicit Recorder(engine::OwnOutput* json) : json_(json) {}
  void on_path_event(const engine::PathEvent& e) override {
    if (closed_) return;
    report.add(e);
    if (json_ && !json_->dropped()) json_->write(event_json(e) + "\n");
  }
  void close() { closed_ = true; }
  TraceReport report;

 private:
  engine::OwnOutput* json_;  // dropped after a failed write, the run going on
  bool closed_ = false;
};

// The processes this process traces (the thread-group leaders whose TracerPid is ours), as
// "name[pid]": what the program left running.
std::vector<std::string> traced_processes() {
  std::vector<std::string> out;
  const std::string me = fmt::format("{}", getpid());
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string pid = entry.path().filename().string();
    if (pid.empty() || !std::ranges::all_of(pid, [](unsigned char c) { return std::isdigit(c) != 0; })) continue;
    std::ifstream status(entry.path() / "status");
    std::string line, name;
    bool ours = false;
    while (std::getline(status, line)) {
      if (line.starts_with("Name:\t")) name = line.substr(6);
      if (line.starts_with("TracerPid:\t")) ours = line.substr(11) == me;
    }
    if (ours) out.push_back(fmt::format("{}[{}]", name, pid));
  }
  return out;
}

// "3 processes: a[1], b[2], c[3]".
std::string process_list(const std::vector<std::string>& procs) {
  std::string out = fmt::format("{} process{}", procs.size(), procs.size() == 1 ? "" : "es");
  for (std::size_t i = 0; i < procs.size(); ++i)
    out += fmt::format("{}{}", i ? ", " : ": ", procs[i]);
  return out;
}

// What the trace writes when it ends: the summary (text format) and the suggested rules. It
// runs in the tracer, once: at the program's end when the program left processes running,
// else when the last tracee is gone.
class TraceEnd {
 public:
  TraceEnd(const TraceOptions& o, const std::optional<std::string>& root,
           const std::vector<rules::RuleFile>& files, const rules::Matcher& names,
           Recorder& recorder, engine::OwnOutput& report)
      : o_(o), root_(root), files_(files), names_(names), recorder_(recorder), report_(report) {}

  /// Writes both, once (later calls do nothing). `ending`: what the last line of the summary
  /// says about how the trace ended ("" when every process has exited). False when the rule
  /// file could not be written (said on stderr).
  bool write(const engine::RunOutcome& outcome, const std::string& ending);
  [[nodiscard]] bool written() const { return written_; }

 private:
  bool write_suggestions();

  const TraceOptions& o_;
  const std::optional<std::string>& root_;
  const std::vector<rules::RuleFile>& files_;
  const rules::Matcher& names_;
  Recorder& recorder_;
  engine::OwnOutput& report_;
  bool written_ = false;
};

bool TraceEnd::write(const engine::RunOutcome& outcome, const std::string& ending) {
  if (written_) return true;
  written_ = true;
  recorder_.close();
  using Kind = engine::RunOutcome::Kind;
  // PROG never ran (not found, not executable, tracing refused): its message says it all.
  const bool never_ran = recorder_.report.calls() == 0 &&
                         (outcome.kind == Kind::not_found || outcome.kind == Kind::cannot_execute ||
                          outcome.kind == Kind::trace_refused);
  if (o_.format == "text" && !never_ran) {
    (void)report_.write(recorder_.report.summary(names_.rules()));
    if (!ending.empty()) (void)report_.write(fmt::format("\n{}\n", ending));
  }
  if (report_.fd() != STDERR_FILENO) ::close(report_.fd());
  return !root_ || never_ran || write_suggestions();
}

bool TraceEnd::write_suggestions() {
  SuggestOptions so;
  so.root = *root_;
  so.var = o_.var;
  if (const char* home = std::getenv("HOME")) so.home = home;
  for (const std::string& word : o_.command) so.command += (so.command.empty() ? "" : " ") + word;
  for (const rules::RuleFile& f : files_)
    for (const rules::Rule& r : f.rules) so.taken_names.insert(r.name.value);
  Suggestion suggested = suggest_rules(recorder_.report.looked_up(), recorder_.report.written(),
                                       so, host_file_system());
  std::optional<std::string> text = combined_rules(suggested, o_.rule_paths);
  if (!text) return false;
  make_data_dirs(suggested.data_dirs);
  if (!write_file(o_.rules_out, *text, o_.force)) {
    fmt::print(stderr, "redirect trace: cannot write {}: {}\n", o_.rules_out,
               std::strerror(errno));
    return false;
  }
  fmt::print(stderr, "redirect trace: {} suggested rule{} written to {}{} (check: redirect lint "
                     "--strict {})\n", suggested.count, suggested.count == 1 ? "" : "s",
             o_.rules_out, o_.rule_paths.empty() ? "" : ", after the --rules files' rules",
             o_.rules_out);
  return true;
}

// The summary's last line when the program left `procs` running (either backend).
std::string left_running(const std::vector<std::string>& procs) {
  const bool one = procs.size() == 1;
  return fmt::format(
      "redirect trace: the program has ended, leaving {} running. {} under the rules but not "
      "in this report (--wait-all records {} until {} exit{}).",
      process_list(procs), one ? "It stays" : "They stay", one ? "it" : "them",
      one ? "it" : "they", one ? "s" : "");
}

// The summary's last line when signal `sig` ended a --wait-all trace, killing `procs`.
std::string ended_by(int sig, const std::vector<std::string>& procs) {
  return fmt::format("redirect trace: ended by {} after the program had ended; killed {}",
                     sigabbrev_np(sig) ? fmt::format("SIG{}", sigabbrev_np(sig)) : "a signal",
                     process_list(procs));
}

// Run apart (the default): the trace ends with the program, as a run returns. What the program
// left running stays traced under the rules, unrecorded, until it exits.
class ApartWatcher final : public engine::ProgramWatcher {
 public:
  ApartWatcher(engine::WaiterLink& link, TraceEnd& end) : link_(link), end_(end) {}
  void started() override { link_.started(); }
  void stopped(int sig) override { link_.stopped(sig); }
  void ended(const engine::RunOutcome& outcome) override {
    link_.ended(end_.write(outcome, left_running(traced_processes())) ? outcome : failed());
  }
  /// The outcome the waiting process returns when the report or the rules were not written.
  static engine::RunOutcome failed() { return {engine::RunOutcome::Kind::exited, exit_tool_failed}; }

 private:
  engine::WaiterLink& link_;
  TraceEnd& end_;
};

// --wait-all: the trace records every process to its end; SIGINT, SIGTERM or SIGHUP after the
// program's end stop it, killing what is left (it runs under a seccomp filter that needs its
// tracer), and the report says so.
class WaitAllWatcher final : public engine::ProgramWatcher {
 public:
  void started() override {}
  void stopped(int sig) override { engine::SignalPolicy::stop_self(sig); }
  void ended(const engine::RunOutcome&) override {}
  void end_requested(int sig) override {
    std::vector<std::string> left = traced_processes();
    ending = ended_by(sig, left);
    for (const std::string& p : left) {
      pid_t pid = std::atoi(p.c_str() + p.rfind('[') + 1);
      if (pid > 0) kill(pid, SIGKILL);
    }
  }
  std::string ending;
};

// --no-host-writes (host_writes.h).
class HostWriteGuard final : public engine::PathVeto {
 public:
  explicit HostWriteGuard(std::string root) : root_(std::move(root)) {}
  int refuse(const engine::PathEvent& e) override {
    return host_write_error(e, root_, [](const std::string& path) {
      struct stat st;
      return ::lstat(path.c_str(), &st) == 0;
    });
  }

 private:
  std::string root_;
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
  if (std::optional<std::string> why = unusable_root(root)) {
    fmt::print(stderr, "redirect trace: --suggest {}\n", *why);
    return std::nullopt;
  }
  return root;
}

// --backend inproc: the program's end (or, with --wait-all, the last record) writes the report,
// as ApartWatcher and WaitAllWatcher do under ptrace.
class InprocTraceEnd final : public ProgramEndWatch {
 public:
  InprocTraceEnd(TraceEnd& end, const RecordedPathEvents& events) : end_(end), events_(events) {}
  bool ended(const engine::RunOutcome& outcome, const CollectionEnd& c) override {
    std::string ending;
    if (c.end_signal != 0) ending = ended_by(c.end_signal, c.left);
    else if (!c.left.empty()) ending = left_running(c.left);
    return end_.write(as_ptrace_says(outcome), ending);
  }

 private:
  // A program that never armed and exited 126 or 127 is redirect's failed exec (said).
  engine::RunOutcome as_ptrace_says(const engine::RunOutcome& o) const {
    using Kind = engine::RunOutcome::Kind;
    if (events_.started() || o.kind != Kind::exited) return o;
    if (o.value == exit_not_found) return {Kind::not_found, ENOENT};
    if (o.value == exit_cannot_execute || o.value == exit_tool_failed) return {Kind::cannot_execute, 0};
    return o;
  }
  TraceEnd& end_;
  const RecordedPathEvents& events_;
};

// The trace without ptrace: the runtime in the program records every path call
// (inproc/traced_calls.h), redirect turns the records into the same PathEvents
// (inproc_path_events.h) and the same Recorder and TraceEnd make the report and the rules.
int trace_in_process(TraceOptions& o, const RecordingEnv& env, const rules::Matcher& rules,
                     const std::optional<std::string>& root, Recorder& recorder, TraceEnd& end) {
  if (o.mode != "seccomp") {
    fmt::print(stderr, "redirect trace: --mode is ptrace's (how the tracer stops); "
                       "--backend inproc has no tracer\n");
    return exit_tool_failed;
  }
  RecordedPathEvents events(rules, recorder, o.dry_run, first_exec(o.command.front()));
  InprocTraceEnd watch(end, events);
  CollectedRun run{&o.rule_paths, &env, &rules, o.dry_run, nullptr};
  run.trace = true;
  if (o.no_host_writes) run.host_write_root = *root;
  run.sink = &events;
  run.watch = &watch;
  run.wait_all = o.wait_all;
  engine::Stats stats;
  StderrNotices notices;
  return run_inproc_collected(run, o.command, stats, notices);
}

// The x86_64 rules among `matchers` (those the in-process runtime compiles), or null.
const rules::Matcher* x86_64_rules(const std::vector<rules::Matcher>& matchers) {
  for (const rules::Matcher& m : matchers)
    if (m.audit_arch() == AUDIT_ARCH_X86_64) return &m;
  return nullptr;
}

// Whether this trace runs in-process: --backend inproc, or auto where no child can be traced
// (said in one line, as a run says it).
bool in_process(const TraceOptions& o) {
  if (o.backend == "ptrace") return false;
  if (o.backend == "auto") {
    if (can_trace_children()) return false;
    fmt::print(stderr, "redirect: --backend auto: cannot trace a child here (ptrace refused); "
                       "using --backend inproc\n");
  }
  return true;
}

}  // namespace

int trace_main(int argc, char** argv) {
  int status = exit_ok;
  std::optional<TraceOptions> o = parse(argc, argv, status);
  if (!o) return status;

  std::optional<std::string> root;
  if (!o->suggest_root.empty() && !(root = bundle_root(o->suggest_root))) return exit_tool_failed;
  if (!output_allowed("--report", o->report, o->rule_paths, true) ||
      (root && !output_allowed("-o", o->rules_out, o->rule_paths, o->force)))
    return exit_tool_failed;

  rules::Diagnostics diags;
  RecordingEnv env;  // the @{VAR} values, for the in-process runtime of every exec'd program
  std::vector<rules::RuleFile> files = load_rule_files(o->rule_paths, diags, env.lookup());
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
  if (in_process(*o)) {
    const rules::Matcher* x86_64 = x86_64_rules(matchers);
    if (std::optional<std::string> why = inproc_unsupported(); why || !x86_64) {
      fmt::print(stderr, "redirect trace: {}\n", why.value_or("--backend inproc needs x86_64"));
      return exit_tool_failed;
    }
    TraceEnd end(*o, root, files, *x86_64, recorder, report);
    return trace_in_process(*o, env, *x86_64, root, recorder, end);
  }
  TraceEnd end(*o, root, files, matchers.front(), recorder, report);
  engine::TracerOptions options;
  options.mode = o->mode == "ptrace" ? engine::Mode::ptrace : engine::Mode::seccomp;
  options.rewrite.dry_run = o->dry_run;
  options.read_results = true;
  options.observer = &recorder;
  std::optional<HostWriteGuard> guard;
  if (o->no_host_writes) options.veto = &guard.emplace(*root);
  engine::Stats stats;
  std::vector<char*> command;
  for (std::string& word : o->command) command.push_back(word.data());
  command.push_back(nullptr);

  StderrNotices notices;
  // Traces until the last tracee has exited; nullopt when our own syscalls failed (said).
  auto trace = [&](engine::ProgramWatcher* watcher) -> std::optional<engine::RunOutcome> {
    options.watcher = watcher;
    try {
      engine::Tracer tracer(by_arch, options, nullptr, stats, notices);
      return tracer.run(command.data());
    } catch (const std::system_error& e) {
      fmt::print(stderr, "redirect: {}\n", e.what());
      return std::nullopt;
    }
  };
  if (o->wait_all) {
    WaitAllWatcher watcher;
    options.end_on_signal = true;
    std::optional<engine::RunOutcome> outcome = trace(&watcher);
    bool written = end.write(outcome.value_or(ApartWatcher::failed()), watcher.ending);
    if (!outcome || !written) return exit_tool_failed;
    return exit_status_for(*outcome, command.front());
  }
  try {
    engine::RunOutcome outcome = engine::run_apart(
        [&](engine::WaiterLink& link) {
          ApartWatcher watcher(link, end);
          std::optional<engine::RunOutcome> outcome = trace(&watcher);
          bool written = end.write(outcome.value_or(ApartWatcher::failed()), "");
          link.finish(outcome && written ? *outcome : ApartWatcher::failed());
          return exit_ok;
        },
        {});
    return exit_status_for(outcome, command.front());
  } catch (const std::system_error& e) {
    fmt::print(stderr, "redirect: {}\n", e.what());
    return exit_tool_failed;
  }
}

}  // namespace redirect::cli
