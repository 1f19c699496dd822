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

#include "engine/arch/native.h"
#include "cli/help_format.h"
#include "cli/commands.h"
#include "cli/rule_set.h"
#include "cli/exit_status.h"
#include "rules/errno_names.h"
#include "rules/matcher.h"
#include "rules/path_text.h"
#include "rules/syscall_table.h"

namespace redirect::cli {
namespace {

std::string describe(const rules::Decision& d) {
  using Kind = rules::Decision::Kind;
  std::string who = d.rule ? fmt::format("rule {} ({}:{})", d.rule->label, d.rule->path,
                                         d.rule->pos.line)
                           : std::string();
  if (d.match_error)
    return fmt::format("{} gave up on this string ({}): the call fails closed with {} ({})",
                       who, d.rule->match_error_message(),
                       rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
  switch (d.kind) {
    case Kind::none: return "no rule matches: left as it is";
    case Kind::allow: return fmt::format("allow by {}: left as it is", who);
    case Kind::deny:
      return fmt::format("deny by {}: the call fails with {} ({})", who,
                         rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
    case Kind::rewrite:
      if (d.error == ENAMETOOLONG)
        return fmt::format("rewrite by {}: the result is longer than PATH_MAX-1, the call fails "
                           "with ENAMETOOLONG",
                           who);
      if (d.error != 0)
        return fmt::format("rewrite by {}: the call fails with {} ({})", who,
                           rules::errno_name(d.error).value_or("?"), std::strerror(d.error));
      return fmt::format("rewrite by {} -> {:?}", who, d.replacement);
  }
  return {};
}

}  // namespace

int explain_main(int argc, char** argv) {
  CLI::App app{"Show which rule decides a string passed as an argument of a syscall.",
               "redirect explain"};
  usage_first(app, "redirect explain --rules FILE [OPTIONS] SYSCALL STRING");
  std::vector<std::string> paths;
  std::string syscall;
  std::string value;
  int only_arg = -1;
  // One FILE per --rules, so that `explain --rules f openat X` leaves openat and X positional.
  app.add_option("-r,--rules", paths, "Rule file (repeatable, used in order)")
      ->required()
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  std::string cwd, dirfd_dir;
  app.add_option("--cwd", cwd,
                 "Working directory a relative STRING is resolved against (default: this one)")
      ->type_name("DIR");
  app.add_option("--dirfd-dir", dirfd_dir,
                 "Directory open on the call's dirfd, for *at calls (default: --cwd, as "
                 "AT_FDCWD)")
      ->type_name("DIR");
  app.add_option("--arg", only_arg, "Only this argument index (default: every one rules name)");
  app.add_option("SYSCALL", syscall, "Syscall name, e.g. openat")->required();
  app.add_option("STRING", value, "The string as the program would pass it")->required();
  app.footer(
      "Examples: redirect explain --rules examples/seed.toml openat TWO.txt\n"
      "          redirect explain -r app.toml --dirfd-dir /var/lib mkdirat app/cache");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_tool_failed;
  }

  rules::Diagnostics diags;
  auto files = load_rule_files(paths, diags);
  auto matcher = rules::Matcher::compile(files, arch::native::personalities[0].audit_arch, diags);
  print_diagnostics(diags, files);
  if (diags.has_errors() || !matcher) return exit_tool_failed;

  const std::uint32_t arch = arch::native::personalities[0].audit_arch;
  auto sys = rules::find_syscall(syscall);
  std::optional<int> nr = sys ? rules::syscall_number(*sys, arch) : std::nullopt;
  if (!nr) {
    std::string why;
    if (rules::find_class(syscall)) {
      why = "is a class; explain takes one syscall of it, e.g. openat";
    } else if (sys) {
      why = fmt::format("does not exist on {}", arch::native::personalities[0].name);
    } else if (auto guess = rules::suggest_syscall_or_class(syscall)) {
      why = fmt::format("is not a syscall (did you mean '{}'?)", *guess);
    } else {
      why = "is not a syscall";
    }
    std::fprintf(stderr, "redirect explain: '%s' %s\n", syscall.c_str(), why.c_str());
    return exit_tool_failed;
  }
  if (only_arg >= 0) {
    const rules::ArgMask strings = rules::syscall_info(*sys).strings;
    if (only_arg > 5 || (strings & (1u << only_arg)) == 0) {
      std::string list;
      for (unsigned i = 0; i < 6; ++i)
        if (strings & (1u << i)) list += (list.empty() ? "" : ", ") + std::to_string(i);
      std::fprintf(stderr, "redirect explain: --arg %d: not a string argument of %s (%s)\n",
                   only_arg, syscall.c_str(),
                   list.empty() ? "it has none" : ("its string arguments: " + list).c_str());
      return exit_tool_failed;
    }
  }
  if (cwd.empty()) {
    std::array<char, PATH_MAX> here{};
    if (::getcwd(here.data(), here.size()) != nullptr) cwd = here.data();
  }
  if (dirfd_dir.empty()) dirfd_dir = cwd;
  for (const std::string* dir : {&cwd, &dirfd_dir}) {
    if (!dir->empty() && dir->front() != '/') {
      std::fprintf(stderr, "redirect explain: '%s' is not an absolute directory\n",
                   dir->c_str());
      return exit_tool_failed;
    }
  }
  const rules::SyscallRules call = matcher->find(*nr);
  auto args = call.args();
  if (args.empty()) {
    std::printf("%s: no rule applies to this syscall\n", syscall.c_str());
    return exit_ok;
  }
  std::array<char, PATH_MAX> out{}, resolved{};
  bool shown = false;
  for (std::uint8_t arg : args) {
    if (only_arg >= 0 && arg != only_arg) continue;
    // The path a run's rules see (rewriter.cpp): relative to the cwd or the dirfd's directory,
    // a symlink's target and non-path strings as written.
    rules::PathArg path{value, value};
    rules::ArgBase base = call.base(arg);
    std::string shown_path;
    if (base.kind == rules::ArgBase::Kind::cwd || base.kind == rules::ArgBase::Kind::dirfd) {
      const std::string& dir = base.kind == rules::ArgBase::Kind::dirfd ? dirfd_dir : cwd;
      auto n = rules::join_path(dir, value, resolved);
      path.resolved = n ? std::optional<std::string_view>(std::string_view(resolved.data(), *n))
                        : std::nullopt;
      if (!n) shown_path = " (longer than PATH_MAX once resolved: left as passed)";
      else if (*path.resolved != value) {
        shown_path = fmt::format("{:?}", *path.resolved);  // escaped, quotes dropped below
        shown_path = " (" + shown_path.substr(1, shown_path.size() - 2) + ")";
      }
    }
    auto d = matcher->decide(call, arg, path, out);
    // Quoted and escaped as --log writes strings, so control bytes cannot reach the terminal.
    fmt::print("{} arg {} {:?}{}: {}\n", syscall, unsigned{arg}, value, shown_path, describe(d));
    shown = true;
  }
  if (!shown)
    std::printf("%s: no rule applies to argument %d\n", syscall.c_str(), only_arg);
  return exit_ok;
}

}  // namespace redirect::cli
