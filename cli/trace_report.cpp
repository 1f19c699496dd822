// TraceReport and the one-call formats (see trace_report.h).
#include "cli/trace_report.h"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/log.h"
#include "engine/regs.h"
#include "rules/errno_names.h"
#include "rules/syscall_table.h"

namespace redirect::cli {
namespace {

using rules::Action;


// The failures that mean "the file is not where the program looks" or "it may not touch it".
bool packaging_error(int e) {
  return e == ENOENT || e == ENOTDIR || e == EACCES || e == EPERM || e == EROFS;
}

// The action of the rule that decided `a`, as the rule file spells it: an unwritable rewrite
// is still the rule's rewrite (its result says how the call failed).
std::string_view rule_action_word(const engine::PathEventArg& a) {
  return rules::action_word(a.rule->action);
}

std::string errno_text(int e) {
  auto name = rules::errno_name(e);
  return name ? std::string(*name) : fmt::format("E{}", e);
}

// The directory of absolute path `p` ("/" for "/x"), and its last component.
std::pair<std::string_view, std::string_view> split(std::string_view p) {
  std::size_t slash = p.rfind('/');
  if (slash == std::string_view::npos) return {"", p};
  return {slash == 0 ? p.substr(0, 1) : p.substr(0, slash), p.substr(slash + 1)};
}

// The path a call argument names for the summary: resolved, else as passed.
std::string_view shown_path(const engine::PathEventArg& a) {
  return a.resolved.empty() ? std::string_view(a.passed) : std::string_view(a.resolved);
}

// "  DIR (N calls)\n    name (3x ENOENT), other ...\n    e.g. CALL\n" for each directory of
// `paths`, the busiest first, at most `limit` of them.
void print_by_directory(std::string& out, const std::map<std::string, PathFacts>& paths,
                        bool show_errors) {
  struct Dir {
    std::uint64_t calls = 0;
    std::vector<std::pair<std::string_view, const PathFacts*>> names;
  };
  std::map<std::string_view, Dir> dirs;
  for (const auto& [path, facts] : paths) {
    auto [dir, name] = split(path);
    Dir& d = dirs[dir];
    d.calls += facts.calls;
    d.names.emplace_back(name, &facts);
  }
  std::vector<std::pair<std::string_view, const Dir*>> order;
  for (const auto& [dir, d] : dirs) order.emplace_back(dir, &d);
  std::ranges::stable_sort(order, [](const auto& a, const auto& b) {
    return a.second->calls > b.second->calls;
  });
  constexpr std::size_t max_dirs = 25, max_names = 6;
  for (std::size_t i = 0; i < order.size() && i < max_dirs; ++i) {
    const auto& [dir, d] = order[i];
    out += fmt::format("  {} ({} call{})\n   ", dir, d->calls, d->calls == 1 ? "" : "s");
    for (std::size_t k = 0; k < d->names.size() && k < max_names; ++k) {
      const auto& [name, f] = d->names[k];
      out += fmt::format(" {:?}", name);
      if (f->calls > 1 || (show_errors && f->error))
        out += fmt::format(" ({}x{}{})", f->calls, show_errors && f->error ? " " : "",
                           show_errors && f->error ? errno_text(f->error) : "");
    }
    if (d->names.size() > max_names)
      out += fmt::format(" and {} more", d->names.size() - max_names);
    // The example: of the name with the most calls, preferring one that used the file.
    const PathFacts* best = d->names.front().second;
    for (const auto& [name, f] : d->names)
      if (std::pair(f->example_uses, f->calls) > std::pair(best->example_uses, best->calls))
        best = f;
    out += fmt::format("\n    e.g. {}\n", best->example);
  }
  if (order.size() > max_dirs)
    out += fmt::format("  ... and {} more directories (--format json lists every call)\n",
                       order.size() - max_dirs);
}

}  // namespace

std::string_view access_name(Access a) {
  switch (a) {
    case Access::read: return "read";
    case Access::write: return "write";
    case Access::exec: return "exec";
    case Access::metadata: return "metadata";
  }
  return "metadata";
}

std::string open_flags_text(std::uint64_t flags) {
  std::string out;
  switch (flags & O_ACCMODE) {
    case O_WRONLY: out = "O_WRONLY"; break;
    case O_RDWR: out = "O_RDWR"; break;
    default: out = "O_RDONLY"; break;
  }
  // O_TMPFILE includes O_DIRECTORY: tested first and whole.
  if ((flags & O_TMPFILE) == O_TMPFILE) {
    out += "|O_TMPFILE";
    flags &= ~static_cast<std::uint64_t>(O_TMPFILE);
  }
  constexpr std::pair<std::uint64_t, std::string_view> names[] = {
      {O_CREAT, "O_CREAT"},       {O_EXCL, "O_EXCL"},         {O_NOCTTY, "O_NOCTTY"},
      {O_TRUNC, "O_TRUNC"},       {O_APPEND, "O_APPEND"},     {O_NONBLOCK, "O_NONBLOCK"},
      {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_CLOEXEC, "O_CLOEXEC"},
      {O_PATH, "O_PATH"},         {O_SYNC, "O_SYNC"},         {O_NOATIME, "O_NOATIME"}};
  for (const auto& [bit, name] : names)
    if ((flags & bit) == bit) out += fmt::format("|{}", name);
  return out;
}

int error_of(const engine::PathEvent& e) {
  if (!e.result || !engine::is_error_result(*e.result)) return 0;
  return static_cast<int>(-*e.result);
}

std::string call_text(const engine::PathEvent& e) {
  std::string out = fmt::format("{}[{}] {}(", e.program.empty() ? "?" : e.program, e.tid, e.syscall);
  std::string notes;
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const engine::PathEventArg& a = e.args[i];
    out += fmt::format("{}{:?}", i ? ", " : "", a.passed);
    if (!a.resolved.empty() && a.resolved != a.passed) {
      std::string r = fmt::format("{:?}", a.resolved);
      out += fmt::format(" ({})", std::string_view(r).substr(1, r.size() - 2));
    }
    if (a.rule && a.action == Action::rewrite && !a.replacement.empty())
      notes += fmt::format(" [rule {}: -> {:?}{}]", a.rule->label, a.replacement,
                           e.dry_run ? ", dry run" : "");
    else if (a.rule && a.action != Action::none)
      notes += fmt::format(" [rule {}: {}{}]", a.rule->label, rule_action_word(a),
                           e.dry_run ? ", dry run" : "");
  }
  if (e.sys == rules::Sys::open || e.sys == rules::Sys::openat || e.sys == rules::Sys::openat2)
    out += fmt::format(", {}", open_flags_text(e.open_flags));
  out += fmt::format(") = {}{}", engine::result_text(e.result), notes);
  return out;
}

std::string event_json(const engine::PathEvent& e) {
  nlohmann::ordered_json j;
  j["pid"] = e.tid;
  j["program"] = e.program;
  j["syscall"] = e.syscall;
  j["access"] = access_name(access_of(e.sys, e.open_flags));
  if (e.sys == rules::Sys::open || e.sys == rules::Sys::openat || e.sys == rules::Sys::openat2 ||
      e.sys == rules::Sys::creat)
    j["flags"] = open_flags_text(e.open_flags);
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (const engine::PathEventArg& a : e.args) {
    nlohmann::ordered_json p;
    p["arg"] = a.arg;
    p["passed"] = a.passed;
    p["path"] = a.resolved.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(a.resolved);
    p["action"] = a.rule ? nlohmann::ordered_json(rule_action_word(a)) : nlohmann::ordered_json();
    p["rule"] = a.rule ? nlohmann::ordered_json(a.rule->label) : nlohmann::ordered_json();
    if (a.rule) p["rule_at"] = fmt::format("{}:{}", a.rule->path, a.rule->pos.line);
    if (a.action == Action::rewrite && !a.replacement.empty()) p["new"] = a.replacement;
    paths.push_back(std::move(p));
  }
  j["paths"] = std::move(paths);
  if (e.result) {
    int err = error_of(e);
    j["result"] = err ? -1 : *e.result;
    j["errno"] = err ? nlohmann::ordered_json(errno_text(err)) : nlohmann::ordered_json();
  } else {
    j["result"] = nullptr;
    j["errno"] = nullptr;
  }
  j["dry_run"] = e.dry_run;
  // Paths are bytes, not always UTF-8: invalid bytes become U+FFFD rather than an exception.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Counts a call on `path`. The example is the first call that used the file (an open, a
// write, an exec): a stat before the open that failed says less than the open itself.
void TraceReport::note(std::map<std::string, PathFacts>& into, std::string_view path, int error,
                       const std::string& example, Access access) {
  auto it = into.find(std::string(path));
  if (it == into.end()) {
    if (into.size() >= max_paths_) {
      ++dropped_;
      return;
    }
    it = into.emplace(std::string(path), PathFacts{}).first;
  }
  PathFacts& f = it->second;
  const bool uses = access != Access::metadata;
  if (f.calls++ == 0 || (uses && !f.example_uses)) {
    f.example = example;
    f.example_uses = uses;
  }
  if (f.error == 0) f.error = error;
  f.used = f.used || uses;
  f.succeeded = f.succeeded || error == 0;
}

void TraceReport::add(const engine::PathEvent& e) {
  ++calls_;
  programs_.insert(e.program);
  int err = error_of(e);
  Access access = access_of(e.sys, e.open_flags);
  // mkdir of a directory that exists (mkdir -p, a program making sure of its directory)
  // changes nothing and fails nothing: a look-up that found it.
  if (err == EEXIST && (e.sys == rules::Sys::mkdir || e.sys == rules::Sys::mkdirat)) {
    err = 0;
    access = Access::metadata;
  }
  if (err) ++failed_;
  const std::string example = call_text(e);
  bool rewritten = false;
  for (const engine::PathEventArg& a : e.args) {
    if (a.rule) ++rule_hits_[a.rule->id];
    // A rewrite whose result could not be passed (unwritable: longer than PATH_MAX, the call
    // failed with ENAMETOOLONG) is still the rule's rewrite, and it failed.
    if ((a.action == Action::rewrite || a.action == Action::unwritable) && a.rule) {
      rewritten = rewritten || a.action == Action::rewrite;
      if (err) {
        PathFacts& f = rule_failures_[a.rule->id];
        if (f.calls++ == 0) f.example = example;
        if (f.error == 0) f.error = err;
      }
    }
  }
  if (rewritten) ++rewritten_;
  for (const engine::PathEventArg& a : e.args) {
    std::string_view path = shown_path(a);
    if (packaging_error(err)) {
      note(failed_paths_, path, err, example, access);
      last_failure_ = example;
      if (path.find("/locale/") == std::string_view::npos) last_non_locale_failure_ = example;
    }
    if (access == Access::write && !err) note(written_paths_, path, 0, example, access);
    if (a.action == Action::rewrite || a.action == Action::unwritable ||
        a.action == Action::deny || a.resolved.empty())
      continue;
    if (access == Access::write) {
      note(written_, a.resolved, err, example, access);
    } else if (err == ENOENT || err == ENOTDIR || (!err && e.result)) {
      note(looked_up_, a.resolved, err, example, access);
    }
  }
}

std::string TraceReport::summary(std::span<const rules::CompiledRule> rules) const {
  std::string out = fmt::format(
      "redirect trace: {} path calls by {} program{}: {} failed, {} rewritten by the rules\n",
      calls_, programs_.size(), programs_.size() == 1 ? "" : "s", failed_, rewritten_);
  out += "\n1. Paths that failed (ENOENT, ENOTDIR, EACCES, EPERM, EROFS), by directory:\n";
  if (failed_paths_.empty()) out += "  none\n";
  if (!last_failure_.empty())
    out += fmt::format("  the last one:\n    {}\n", last_failure_);
  if (last_non_locale_failure_ != last_failure_ && !last_non_locale_failure_.empty())
    out += fmt::format("  the last before the message catalog probes, often the one the program "
                       "gave up on:\n    {}\n", last_non_locale_failure_);
  print_by_directory(out, failed_paths_, true);
  out += "\n2. Paths created or written, by directory:\n";
  if (written_paths_.empty()) out += "  none\n";
  print_by_directory(out, written_paths_, false);
  out += "\n3. Rules:\n";
  bool any = false;
  for (const rules::CompiledRule& r : rules) {
    if (rule_hits_.contains(r.id)) continue;
    out += fmt::format("  rule {} ({}:{}) never matched\n", r.label, r.path, r.pos.line);
    any = true;
  }
  for (const auto& [id, f] : rule_failures_) {
    if (id >= rules.size()) continue;
    const rules::CompiledRule& r = rules[id];
    out += fmt::format("  rule {} ({}:{}): {} rewritten call{} failed, e.g. {}\n", r.label, r.path,
                       r.pos.line, f.calls, f.calls == 1 ? "" : "s", f.example);
    any = true;
  }
  if (!any)
    out += rules.empty() ? "  no rules given\n" : "  every rule matched; no rewritten call failed\n";
  if (dropped_)
    out += fmt::format("\nredirect trace: {} times a path came beyond the {} distinct ones each "
                       "section keeps: counted above, not listed, and no rule is suggested for "
                       "them (--format json lists every call)\n",
                       dropped_, max_paths_);
  return out;
}

}  // namespace redirect::cli
