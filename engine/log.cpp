// Decision log lines and --stats output. A line reads
//   12:03:04.567890 4242 (app) openat[1] rewrite "/etc/a.conf" -> "/snap/a/etc/a.conf" rule 'etc'
// (time, pid, (program name), syscall[argument index], decision, rule name); strings are
// printed with fmt's escaping ({:?}) so a path with a newline stays on one line.
#include "engine/log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iterator>

#include <fmt/format.h>

#include "engine/regs.h"
#include "rules/path_text.h"

namespace redirect::engine {
namespace {

std::string_view errno_name(int e) {
  const char* name = strerrorname_np(e);
  return name ? name : "E?";
}

// "HH:MM:SS.uuuuuu", local time, into a stack buffer.
struct TimeStamp {
  char text[32];
  TimeStamp() {
    timeval tv;
    gettimeofday(&tv, nullptr);
    tm local;
    localtime_r(&tv.tv_sec, &local);
    auto end = fmt::format_to_n(text, sizeof text - 1, "{:02}:{:02}:{:02}.{:06}", local.tm_hour,
                                local.tm_min, local.tm_sec, tv.tv_usec);
    *end.out = '\0';
  }
};

// "(comm)": a thread's name escaped like the paths.
std::string name_text(std::string_view name) {
  std::string text = fmt::format("{:?}", name);  // its quotes become the parentheses
  text.front() = '(';
  text.back() = ')';
  return text;
}

// "(comm)": the thread's name from /proc/PID/comm, "(?)" when the thread is gone.
std::string program_name(pid_t pid) {
  char path[40];
  auto p = fmt::format_to_n(path, sizeof path - 1, "/proc/{}/comm", pid);
  *p.out = '\0';
  char comm[32];
  ssize_t n = -1;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    n = ::read(fd, comm, sizeof comm);
    ::close(fd);
  }
  std::string_view name = n > 0 ? std::string_view(comm, static_cast<std::size_t>(n)) : "?";
  if (name.ends_with('\n')) name.remove_suffix(1);
  return name_text(name);
}

}  // namespace

std::optional<DecisionLog> DecisionLog::open(const std::string& path, bool append,
                                             std::string& error) {
  if (path == "-") return DecisionLog(STDERR_FILENO, "the --log (stderr)");
  const int truncate = append ? 0 : O_TRUNC;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | truncate | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  return DecisionLog(fd, "the --log file " + path);
}

DecisionLog::~DecisionLog() {
  if (out_.fd() > STDERR_FILENO) ::close(out_.fd());
}

void DecisionLog::name_thread(pid_t pid, std::string_view comm) {
  names_.insert_or_assign(pid, name_text(comm));
}

const std::string& DecisionLog::name_of(pid_t pid) {
  auto it = names_.find(pid);
  if (it == names_.end()) it = names_.emplace(pid, program_name(pid)).first;
  return it->second;
}

void DecisionLog::write_line(std::string_view line) {
  // One write per line. A failure drops the log (own_output.h): the program is not ours to
  // stop because its log cannot be kept.
  (void)out_.write(line);
}

void DecisionLog::decision(pid_t pid, std::string_view syscall, const ArgDecision& a,
                           bool dry_run) {
  using rules::Action;
  const rules::Decision& d = a.decision;
  const std::string_view old = a.value.passed;
  std::string_view rule = d.rule ? std::string_view(d.rule->label) : std::string_view("-");
  TimeStamp now;
  fmt::memory_buffer line;
  auto out = std::back_inserter(line);
  fmt::format_to(out, "{} {} {} {}[{}] ", now.text, pid, name_of(pid), syscall, a.arg);
  // The path the rule saw, when it is not the string itself: escaped like the strings, but
  // without quotes, so that the line reads `"cache" (/var/lib/app/cache)`.
  std::string shown;
  const std::optional<std::string_view> resolved = a.matched_resolved();
  if (resolved && *resolved != old) {
    shown = fmt::format("{:?}", *resolved);
    shown = " (" + shown.substr(1, shown.size() - 2) + ")";
  }
  switch (d.action) {
    case Action::rewrite:
      if (a.same)
        fmt::format_to(out, "rewrite {:?}{} -> the same path: left as passed", old, shown);
      else if (a.target_kept)
        fmt::format_to(out,
                       "rewrite {:?} -> kept as written: the link is made inside the bundle, "
                       "where its target is followed in the program's view",
                       old);
      else
        fmt::format_to(out, "rewrite {:?}{} -> {:?}", old, shown, d.replacement);
      break;
    case Action::unwritable:
      fmt::format_to(out, "rewrite {:?}{} -> {}", old, shown, errno_name(d.error));
      break;
    case Action::deny:
      fmt::format_to(out, "deny {:?}{} {}", old, shown, errno_name(d.error));
      if (d.match_error)
        fmt::format_to(out, " (the pattern gave up on it: {}; failed closed)",
                       d.rule->match_error_message());
      break;
    case Action::allow:
      fmt::format_to(out, "allow {:?}{}", old, shown);
      break;
    case Action::none:
      return;
  }
  fmt::format_to(out, " rule {}{}\n", rule, dry_run ? " (dry run)" : "");
  open_[pid].append(line.data(), line.size());
}

void DecisionLog::entry(pid_t pid, const EntryDecision& d, std::uint64_t sp, bool dry_run) {
  for (const ArgDecision& a : d.decided()) {
    if (!a.unnamed_why.empty())
      warning(pid, d.syscall,
              fmt::format("argument {} {:?} {} ({}); it is left as passed", a.arg,
                          a.value.passed,
                          rules::is_relative_path(a.value.passed)
                              ? "is relative to a directory that cannot be named"
                              : "cannot be named in redirect's view",
                          a.unnamed_why));
    if (a.confined)
      warning(pid, d.syscall,
              fmt::format("argument {} {:?}: RESOLVE_BENEATH or RESOLVE_IN_ROOT keeps the walk "
                          "below the dirfd, and the rewrite leaves it; it is left as passed",
                          a.arg, a.value.passed));
    if (a.socket && a.decision.action == rules::Action::unwritable &&
        a.decision.replacement.size() > rules::sun_path_max)
      problem(pid, d.syscall,
              fmt::format("the rewritten socket path is {} bytes; sun_path holds {}: the call "
                          "fails with ENAMETOOLONG",
                          a.decision.replacement.size(), rules::sun_path_max));
  }
  if (d.call.action != rules::Action::none) return call_decision(pid, d.syscall, d.call, dry_run);
  for (const ArgDecision& a : d.decided()) decision(pid, d.syscall, a, dry_run);
  if (d.write_error != 0)
    problem(pid, d.syscall,
            fmt::format("cannot write the rewritten path (sp {:#x}): {}{}", sp,
                        std::strerror(d.write_error), d.write_problem));
  switch (d.applied) {
    case Applied::patched:
      return;  // the lines wait for the result, read at the exit stop
    case Applied::failed:
      return end_call(pid, -static_cast<long>(d.fail_errno));
    case Applied::gone:
      return end_call(pid, std::nullopt);
    case Applied::nothing:
    case Applied::restarted:
      return flush(pid);  // the call runs as the program made it
  }
}

std::string result_text(std::optional<long> result) {
  if (!result) return "?";
  if (is_error_result(*result)) {
    int e = static_cast<int>(-*result);
    return fmt::format("-1 {} ({})", errno_name(e), std::strerror(e));
  }
  return fmt::format("{}", *result);
}

void DecisionLog::end_call(pid_t pid, std::optional<long> result) {
  auto it = open_.find(pid);
  if (it == open_.end()) return;
  std::string lines = std::move(it->second);
  open_.erase(it);
  const std::string suffix = " = " + result_text(result) + "\n";
  std::string out;
  for (std::size_t start = 0; start < lines.size();) {
    std::size_t end = lines.find('\n', start);
    out.append(lines, start, end - start);
    out += suffix;
    start = end + 1;
  }
  write_line(out);
}

void DecisionLog::flush(pid_t pid) {
  auto it = open_.find(pid);
  if (it == open_.end()) return;
  std::string lines = std::move(it->second);
  open_.erase(it);
  write_line(lines);
}

void DecisionLog::call_decision(pid_t pid, std::string_view syscall, const rules::Decision& d,
                                bool dry_run) {
  std::string_view rule = d.rule ? std::string_view(d.rule->label) : std::string_view("-");
  TimeStamp now;
  fmt::memory_buffer line;
  auto out = std::back_inserter(line);
  fmt::format_to(out, "{} {} {} {} ", now.text, pid, name_of(pid), syscall);
  const bool deny = d.action == rules::Action::deny;
  if (deny)
    fmt::format_to(out, "deny {}", errno_name(d.error));
  else
    fmt::format_to(out, "allow");
  fmt::format_to(out, " rule {}{}", rule, dry_run ? " (dry run)" : "");
  // A denied call never runs: its result is the rule's errno.
  if (deny && !dry_run) fmt::format_to(out, " = {}", result_text(-static_cast<long>(d.error)));
  fmt::format_to(out, "\n");
  write_line({line.data(), line.size()});
}

void DecisionLog::note(pid_t pid, std::string_view syscall, std::string_view kind,
                       std::string_view what) {
  TimeStamp now;
  fmt::memory_buffer line;
  fmt::format_to(std::back_inserter(line), "{} {} {} {} {}: {}\n", now.text, pid,
                 name_of(pid), syscall, kind, what);
  write_line({line.data(), line.size()});
}

void DecisionLog::problem(pid_t pid, std::string_view syscall, std::string_view what) {
  note(pid, syscall, "error", what);
}

void DecisionLog::warning(pid_t pid, std::string_view syscall, std::string_view what) {
  note(pid, syscall, "warning", what);
}

}  // namespace redirect::engine
