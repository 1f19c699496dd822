// `redirect explain --rules FILE SYSCALL STRING`: which rule decides STRING as an argument of
// SYSCALL, and what it does, computed by the very Matcher a run uses (same load, same compile,
// same decide), so what explain says is what a run does.
#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/abi.h"
#include "engine/tracee_fs.h"
#include "cli/help_format.h"
#include "cli/commands.h"
#include "cli/rule_set.h"
#include "cli/exit_status.h"
#include "rules/errno_names.h"
#include "rules/matcher.h"
#include "rules/last_link.h"
#include "rules/path_resolve.h"
#include "rules/view_resolver.h"
#include "rules/syscall_table.h"

namespace redirect::cli {
namespace {

std::string describe(const rules::Decision& d) {
  using rules::Action;
  std::string who = d.rule ? fmt::format("rule {} ({}:{})", d.rule->label, d.rule->path,
                                         d.rule->pos.line)
                           : std::string();
  if (d.match_error)
    return fmt::format("{} gave up on this string ({}): the call fails closed with {} ({})",
                       who, d.rule->match_error_message(),
                       rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
  switch (d.action) {
    case Action::none: return "no rule matches: left as it is";
    case Action::allow: return fmt::format("allow by {}: left as it is", who);
    case Action::deny:
      return fmt::format("deny by {}: the call fails with {} ({})", who,
                         rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
    case Action::rewrite: return fmt::format("rewrite by {} -> {:?}", who, d.replacement);
    case Action::unwritable:
      if (d.error == ENAMETOOLONG)
        return fmt::format("rewrite by {}: the result is longer than {}, the call fails "
                           "with ENAMETOOLONG",
                           who, d.replacement.empty() ? "PATH_MAX-1" : "sun_path (108 bytes)");
      return fmt::format("rewrite by {}: the call fails with {} ({})", who,
                         rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
  }
  return {};
}

// The resolved path shown after the string, as --log shows it: escaped, without quotes.
std::string shown_path(std::string_view value, std::optional<std::string_view> resolved) {
  if (!resolved) return " (longer than PATH_MAX once resolved: left as passed)";
  if (*resolved == value) return {};
  std::string quoted = fmt::format("{:?}", *resolved);
  return " (" + quoted.substr(1, quoted.size() - 2) + ")";
}

// What a run does beyond the decision: keep a string that already reaches the result, or a
// link's target when the link is made inside the bundle (engine/rewriter.cpp).
std::string_view note_of(const rules::Decision& d, rules::ArgBase base, bool same) {
  if (d.action != rules::Action::rewrite) return {};
  if (same) return ": the program's string reaches it already, left as passed";
  if (base.kind == rules::ArgBase::Kind::link && d.rule->prefix_map)
    return " (a link made inside a prefix rule's replacement keeps the target as written)";
  return {};
}

// One argument, decided as a run decides it: the same resolution in the program's view
// (rules/view_resolver.h) with --cwd and --dirfd-dir standing in for /proc and the host's file
// system for the tracee's root, and the same Matcher. The call's flags are taken as 0 (an
// open follows a last link, as `openat(dirfd, path, O_RDONLY)` does).
void explain_arg(const rules::Matcher& matcher, const rules::SyscallRules& call, rules::Sys sys,
                 unsigned arg, std::string_view syscall, std::string_view value,
                 const std::string& cwd, const std::string& dirfd_dir) {
  const rules::ArgBase base = call.base(arg);
  engine::ProcRootFs fs;
  fs.set_thread(::getpid(), true);
  auto view = std::make_unique<rules::ViewResolver>(matcher.rules(), fs);
  auto out = std::make_unique<std::array<char, PATH_MAX>>();
  auto resolved = std::make_unique<std::array<char, PATH_MAX>>();
  // A dirfd other than AT_FDCWD stands for --dirfd-dir: any open fd will do.
  const rules::DirectoryNeed need =
      rules::directory_needed(base, value, dirfd_dir == cwd ? rules::at_fdcwd : 3);
  std::string_view dir;
  if (need.kind != rules::DirectoryNeed::Kind::none)
    dir = need.kind == rules::DirectoryNeed::Kind::dirfd ? dirfd_dir : cwd;
  rules::PathArg path{value, std::nullopt};
  if (call.wants_resolved(arg))
    path.resolved = view->resolve(&matcher, &call, arg, 0, base, dir, value, *resolved);
  rules::Decision d = matcher.decide(call, arg, path, *out);
  bool same = false;
  if (path.resolved && (d.rule == nullptr || d.rule->resolved)) {
    const std::array<std::uint64_t, rules::kSyscallArgs> no_flags{};
    const bool follows =
        rules::follows_last_link(sys, arg, no_flags, engine::host_audit_arch());
    same = view->finish(0, arg, follows, *path.resolved, d, *out);
  }
  // Quoted and escaped as --log writes strings, so control bytes cannot reach the terminal.
  fmt::print("{} arg {} {:?}{}: {}{}\n", syscall, arg, value,
             shown_path(value, call.wants_resolved(arg) ? path.resolved : value), describe(d),
             note_of(d, base, same));
}

// What the command line asks.
struct ExplainRequest {
  std::vector<std::string> paths;
  std::string syscall, value, cwd, dirfd_dir;
  int only_arg = -1;
};

// Parses the command line into `req`; an exit status when it says to stop (--help, an error).
std::optional<int> parse_request(int argc, char** argv, ExplainRequest& req) {
  CLI::App app{"Show which rule decides a string passed as an argument of a syscall.",
               "redirect explain"};
  usage_first(app, "redirect explain --rules FILE [OPTIONS] SYSCALL STRING");
  // One FILE per --rules, so that `explain --rules f openat X` leaves openat and X positional.
  app.add_option("-r,--rules", req.paths, "Rule file (repeatable, used in order)")
      ->required()
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--cwd", req.cwd,
                 "Working directory a relative STRING is resolved against (default: this one)")
      ->type_name("DIR");
  app.add_option("--dirfd-dir", req.dirfd_dir,
                 "Directory open on the call's dirfd, for *at calls (default: --cwd, as "
                 "AT_FDCWD)")
      ->type_name("DIR");
  app.add_option("--arg", req.only_arg,
                 "Only this argument index (default: every one rules name)");
  app.add_option("SYSCALL", req.syscall, "Syscall name, e.g. openat")->required();
  app.add_option("STRING", req.value, "The string as the program would pass it")->required();
  app.footer(
      "Examples: redirect explain --rules examples/seed.toml openat TWO.txt\n"
      "          redirect explain -r app.toml --dirfd-dir /var/lib mkdirat app/cache");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_tool_failed;
  }
  return std::nullopt;
}

// The host's number of `syscall`, or nullopt after saying why there is none.
std::optional<int> host_number(const std::string& syscall, std::optional<rules::Sys>& sys) {
  sys = rules::find_syscall(syscall);
  std::optional<int> nr = sys ? rules::syscall_number(*sys, engine::host_audit_arch()) : std::nullopt;
  if (nr) return nr;
  std::string why;
  if (rules::find_class(syscall)) {
    why = "is a class; explain takes one syscall of it, e.g. openat";
  } else if (sys) {
    why = fmt::format("does not exist on {}", engine::host_arch_name());
  } else if (auto guess = rules::suggest_syscall_or_class(syscall)) {
    why = fmt::format("is not a syscall (did you mean '{}'?)", *guess);
  } else {
    why = "is not a syscall";
  }
  std::fprintf(stderr, "redirect explain: '%s' %s\n", syscall.c_str(), why.c_str());
  return std::nullopt;
}

// --arg names a string argument of `sys`; false after saying which ones it has.
bool check_only_arg(const ExplainRequest& req, rules::Sys sys) {
  if (req.only_arg < 0) return true;
  const rules::ArgMask strings = rules::syscall_info(sys).strings;
  if (req.only_arg <= 5 && (strings & (1u << req.only_arg)) != 0) return true;
  std::string list;
  for (unsigned i = 0; i < 6; ++i)
    if (strings & (1u << i)) list += (list.empty() ? "" : ", ") + std::to_string(i);
  std::fprintf(stderr, "redirect explain: --arg %d: not a string argument of %s (%s)\n",
               req.only_arg, req.syscall.c_str(),
               list.empty() ? "it has none" : ("its string arguments: " + list).c_str());
  return false;
}

// Fills in the default directories; false after saying which one is not absolute.
bool settle_directories(ExplainRequest& req) {
  if (req.cwd.empty()) {
    std::array<char, PATH_MAX> here{};
    if (::getcwd(here.data(), here.size()) != nullptr) req.cwd = here.data();
  }
  if (req.dirfd_dir.empty()) req.dirfd_dir = req.cwd;
  for (const std::string* dir : {&req.cwd, &req.dirfd_dir}) {
    if (!dir->empty() && dir->front() != '/') {
      std::fprintf(stderr, "redirect explain: '%s' is not an absolute directory\n",
                   dir->c_str());
      return false;
    }
  }
  return true;
}

}  // namespace

int explain_main(int argc, char** argv) {
  ExplainRequest req;
  if (std::optional<int> rc = parse_request(argc, argv, req)) return *rc;
  rules::Diagnostics diags;
  auto files = load_rule_files(req.paths, diags);
  auto matcher = rules::Matcher::compile(files, engine::host_audit_arch(), diags);
  print_diagnostics(diags, files);
  if (diags.has_errors() || !matcher) return exit_tool_failed;
  std::optional<rules::Sys> sys;
  const std::optional<int> nr = host_number(req.syscall, sys);
  if (!nr || !check_only_arg(req, *sys) || !settle_directories(req)) return exit_tool_failed;
  const rules::SyscallRules call = matcher->find(*nr);
  if (call.args().empty()) {
    std::printf("%s: no rule applies to this syscall\n", req.syscall.c_str());
    return exit_ok;
  }
  bool shown = false;
  for (std::uint8_t arg : call.args()) {
    if (req.only_arg >= 0 && arg != req.only_arg) continue;
    explain_arg(*matcher, call, *sys, arg, req.syscall, req.value, req.cwd, req.dirfd_dir);
    shown = true;
  }
  if (!shown)
    std::printf("%s: no rule applies to argument %d\n", req.syscall.c_str(), req.only_arg);
  return exit_ok;
}

}  // namespace redirect::cli
