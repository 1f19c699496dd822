// Decision log lines and --stats output. A line reads
//   12:03:04.567890 4242 openat[1] rewrite "/etc/app.conf" -> "/snap/app/etc/app.conf" rule 'etc'
// (time, pid, syscall[argument index], decision, rule name); strings are printed with fmt's
// escaping ({:?}) so a path with a newline stays on one line.
#include "engine/log.h"

#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

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

}  // namespace

void DecisionLog::Closer::operator()(std::FILE* f) const {
  if (f != stderr) std::fclose(f);
}

std::optional<DecisionLog> DecisionLog::open(const std::string& path, std::string& error) {
  if (path == "-") return DecisionLog(stderr);
  std::FILE* f = std::fopen(path.c_str(), "we");
  if (!f) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  return DecisionLog(f);
}

DecisionLog::~DecisionLog() {
  if (file_) std::fflush(file_.get());
}

void DecisionLog::decision(pid_t pid, std::string_view syscall, unsigned arg, std::string_view old,
                           const rules::Decision& d, bool dry_run) {
  using Kind = rules::Decision::Kind;
  std::string_view rule = d.rule ? std::string_view(d.rule->name) : std::string_view("-");
  std::string_view dry = dry_run ? " (dry run)" : "";
  TimeStamp now;
  switch (d.kind) {
    case Kind::rewrite:
      if (d.error != 0)
        fmt::print(file_.get(), "{} {} {}[{}] rewrite {:?} -> {} rule '{}'{}\n", now.text, pid,
                   syscall, arg, old, errno_name(d.error), rule, dry);
      else
        fmt::print(file_.get(), "{} {} {}[{}] rewrite {:?} -> {:?} rule '{}'{}\n", now.text, pid,
                   syscall, arg, old, d.replacement, rule, dry);
      break;
    case Kind::deny:
      fmt::print(file_.get(), "{} {} {}[{}] deny {:?} {} rule '{}'{}\n", now.text, pid, syscall,
                 arg, old, errno_name(d.error), rule, dry);
      break;
    case Kind::allow:
      fmt::print(file_.get(), "{} {} {}[{}] allow {:?} rule '{}'{}\n", now.text, pid, syscall, arg,
                 old, rule, dry);
      break;
    case Kind::none:
      break;
  }
}

void DecisionLog::problem(pid_t pid, std::string_view syscall, std::string_view what) {
  TimeStamp now;
  fmt::print(file_.get(), "{} {} {} error: {}\n", now.text, pid, syscall, what);
}

void DecisionLog::flush() { std::fflush(file_.get()); }

void Stats::print(std::FILE* out, const rules::Matcher& names) const {
  fmt::print(out,
             "redirect: stats: stops: {} seccomp, {} syscall entry, {} syscall exit, {} signal, "
             "{} other\n",
             seccomp_stops, entry_stops, exit_stops, signal_stops, other_stops);
  fmt::print(out,
             "redirect: stats: syscalls: {} rewritten, {} failed (deny or error), {} arguments "
             "unreadable, {} of unknown ABIs\n",
             rewritten, denied, unreadable, foreign);
  for (const rules::CompiledRule& r : names.rules()) {
    std::uint64_t hits = r.id < rule_hits.size() ? rule_hits[r.id] : 0;
    fmt::print(out, "redirect: stats: rule '{}' ({}:{}): {} hits\n", r.name, r.path, r.pos.line,
               hits);
  }
}

}  // namespace redirect::engine
