// Rewriter: the entry decision (see rewriter.h). Cost per trapped syscall: one
// process_vm_readv per selected string argument (one page at most for a normal path), plus one
// readlink of /proc for a relative one; when rewritten, what SyscallPatcher costs.
#include "engine/rewriter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "rules/path_text.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

using Kind = rules::Decision::Kind;

[[noreturn]] void read_failed(int err, pid_t tid, std::string_view syscall) {
  throw fmt::system_error(err, "pid {}: {}: process_vm_readv", tid, syscall);
}

constexpr int at_fdcwd = -100;  // AT_FDCWD, the same on every Linux ABI

// A syscall result that is an error: -4095..-1 (include/linux/err.h MAX_ERRNO).
bool is_error(long result) { return result < 0 && result >= -4095; }

// The dirfd argument as the kernel reads it: an int, whatever the register's upper half holds.
int dirfd_value(const SyscallEntry& e, unsigned reg) {
  return static_cast<int>(static_cast<std::uint32_t>(e.raw_args[reg]));
}

}  // namespace

Rewriter::Rewriter(std::span<const rules::Matcher* const> matchers, Options options,
                   TraceeIo& io, SyscallPatcher& patcher, const OwnTraps& traps,
                   DecisionLog* log, Stats& stats, Notices& notices)
    : options_(options),
      io_(io),
      patcher_(patcher),
      traps_(traps),
      log_(log),
      stats_(stats),
      notices_(notices) {
  std::size_t rules = 0;
  for (const rules::Matcher* m : matchers) {
    rules = std::max(rules, m->rules().size());
    for (std::size_t i = 0; i < by_abi_.size(); ++i)
      if (arch::native::personalities[i].audit_arch == m->audit_arch()) by_abi_[i] = m;
  }
  stats_.rule_hits.resize(rules);
  stats_.rule_failed.resize(rules);
}

const rules::Matcher* Rewriter::matcher_for(const SyscallEntry& e) const {
  if (!e.personality) return nullptr;
  return by_abi_[static_cast<std::size_t>(e.personality - arch::native::personalities)];
}

std::optional<std::string_view> Rewriter::resolve(const Tracee& t, const SyscallEntry& e,
                                                  rules::ArgBase base, std::string_view passed,
                                                  std::span<char> buf, std::string_view& why) {
  using Base = rules::ArgBase::Kind;
  // A symlink's target is stored as written; other strings (xattr names) are no paths.
  if (base.kind == Base::link || base.kind == Base::not_a_path) return passed;
  if (!rules::is_relative_path(passed)) {
    if (!rules::needs_collapse(passed)) return passed;
    auto n = rules::join_path("", passed, buf);
    if (!n) return passed;  // cannot grow: collapsing only shortens
    return std::string_view(buf.data(), *n);
  }
  std::optional<int> dirfd;
  if (base.kind == Base::dirfd) {
    int fd = dirfd_value(e, base.dirfd_reg);
    if (fd != at_fdcwd) dirfd = fd;
  }
  DirName dir = io_.name_directory(t.tid, dirfd, dir_);
  if (dir.status != DirName::Status::ok) {
    why = dir.why;
    return std::nullopt;
  }
  if (traps_.roots_may_differ() && !io_.shares_our_root(t.tid)) {
    why = "its root directory is not redirect's (chroot)";
    return std::nullopt;
  }
  auto n = rules::join_path(std::string_view(dir_.data(), dir.length), passed, buf);
  if (!n) {
    why = "the path is longer than PATH_MAX";
    return std::nullopt;
  }
  return std::string_view(buf.data(), *n);
}

void Rewriter::note_unresolved(const Tracee& t, std::string_view name, unsigned arg,
                               std::string_view passed, std::string_view why) {
  ++stats_.unresolved;
  if (log_)
    log_->warning(t.tid, name,
                  fmt::format("argument {} {:?} is relative to a directory that cannot be named "
                              "({}); it is left as passed",
                              arg, passed, why));
}

bool Rewriter::on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop) {
  const rules::Matcher* m = matcher_for(e);
  if (!m) {
    ++stats_.foreign;
    return false;
  }
  const rules::SyscallRules call = m->find(e.nr);
  if (!call) return false;
  const std::string_view name = call.name();
  if (call.has_call_rules()) {
    // A deny/allow of the whole call (io_uring_setup...): decided before any argument is read.
    rules::Decision d = m->decide_call(call);
    if (d.kind != Kind::none) {
      if (d.rule && d.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[d.rule->id];
      if (log_) log_->call_decision(t.tid, name, d, options_.dry_run);
      if (d.kind == Kind::deny && !options_.dry_run) {
        patcher_.fail(t, e, name, d.error, seccomp_stop);
        if (record_) record_->result = -static_cast<long>(d.error);
      }
      return true;
    }
  }
  std::span<const std::uint8_t> args = call.args();
  if (args.empty()) return false;

  // Decide every selected argument first; patch afterwards, all at once.
  std::array<std::uint8_t, 6> rewritten_arg{};
  std::array<std::uint32_t, 6> rewritten_by{};  // the rule of each, for --stats' failures
  std::array<std::size_t, 6> size{};  // with the NUL
  unsigned count = 0;
  int fail_errno = 0;
  for (std::size_t k = 0; k < args.size() && k < in_.size(); ++k) {
    const unsigned arg = args[k];
    StringRead r = io_.read_string(t.tid, RemotePtr{e.args[arg]}, in_[k]);
    if (r.status == StringRead::Status::gone) {
      if (log_) log_->end_call(t.tid, std::nullopt);
      return true;
    }
    if (r.status == StringRead::Status::failed) read_failed(r.error, t.tid, name);
    if (r.status == StringRead::Status::forbidden) {
      // A non-dumpable tracee and an unprivileged tracer: its paths cannot be read, so they
      // cannot be rewritten. Said once per run, never silently.
      if (!std::exchange(warned_forbidden_, true))
        notices_.say(fmt::format(
            "pid {}: {}: cannot read the memory of a non-dumpable process "
            "(prctl(PR_SET_DUMPABLE, 0) or an unreadable executable) without CAP_SYS_PTRACE; "
            "its paths are left as they are",
            t.tid, name));
      continue;
    }
    if (r.status != StringRead::Status::ok) {
      // Not an error: the kernel will answer EFAULT or ENAMETOOLONG as it would natively.
      ++stats_.unreadable;
      continue;
    }
    rules::PathArg value{std::string_view(in_[k].data(), r.length), {}};
    const rules::ArgBase base = call.base(arg);
    std::string_view why;
    const bool path = base.kind != rules::ArgBase::Kind::link &&
                      base.kind != rules::ArgBase::Kind::not_a_path;
    if (call.wants_resolved(arg) || (record_ && path)) {
      value.resolved = resolve(t, e, base, value.passed, resolved_[k], why);
      if (!value.resolved) note_unresolved(t, name, arg, value.passed, why);
    }
    rules::Decision d = m->decide(call, arg, value, out_[count]);
    if (d.kind != Kind::none && d.rule->resolved && rules::is_relative_path(value.passed) &&
        base.kind == rules::ArgBase::Kind::dirfd) {
      // A dirfd that is open but not on a directory (a regular file): the kernel answers
      // ENOTDIR, which a rewrite to an absolute path would hide. Checked only now, when a
      // rule would act, so unmatched calls pay nothing for it.
      int fd = dirfd_value(e, base.dirfd_reg);
      if (fd != at_fdcwd && !io_.fd_is_directory(t.tid, fd)) {
        note_unresolved(t, name, arg, value.passed, "the dirfd is not a directory");
        value.resolved.reset();
        d = m->decide(call, arg, value, out_[count]);
      }
    }
    if (record_ && path) note_arg(arg, value, d);
    if (d.kind == Kind::none) continue;
    if (d.rule && d.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[d.rule->id];
    std::string_view matched = d.rule->resolved ? *value.resolved : value.passed;
    // A rewrite that gives back the path it matched changes nothing: the program's own string
    // stays (see rewriter.h).
    const bool same = d.kind == Kind::rewrite && d.error == 0 && d.replacement == matched;
    if (log_)
      log_->decision(t.tid, name, arg, value.passed,
                     d.rule->resolved ? value.resolved : std::nullopt, d, same,
                     options_.dry_run);
    if (d.kind == Kind::deny || (d.kind == Kind::rewrite && d.error != 0)) {
      fail_errno = d.error;  // ENAMETOOLONG when the rewrite does not fit in PATH_MAX
      break;
    }
    if (d.kind == Kind::rewrite && !same) {
      rewritten_arg[count] = static_cast<std::uint8_t>(arg);
      rewritten_by[count] = static_cast<std::uint32_t>(d.rule->id);
      size[count] = d.replacement.size() + 1;
      ++count;
    }
  }
  if (options_.dry_run || (fail_errno == 0 && count == 0)) {
    if (log_) log_->flush(t.tid);  // the call runs as the program made it
    return true;
  }
  if (fail_errno != 0) {
    patcher_.fail(t, e, name, fail_errno, seccomp_stop);
    if (log_) log_->end_call(t.tid, -static_cast<long>(fail_errno));
    if (record_) record_->result = -static_cast<long>(fail_errno);
    return true;
  }

  std::array<std::span<const char>, 6> bytes;
  for (unsigned i = 0; i < count; ++i) bytes[i] = std::span<const char>(out_[i].data(), size[i]);
  PatchOutcome written = patcher_.point_args_at(t, e, name, std::span(rewritten_arg.data(), count),
                                                std::span(bytes.data(), count));
  if (written.error == ESRCH) {
    if (log_) log_->end_call(t.tid, std::nullopt);
    return true;
  }
  if (written.error != 0) {
    // A full or tiny stack (sigaltstack): failing loudly beats running the call unchanged.
    if (log_)
      log_->problem(t.tid, name,
                    fmt::format("cannot write the rewritten path below sp {:#x}: {}{}", e.sp,
                                std::strerror(written.error), written.why));
    notices_.say(fmt::format(
        "pid {}: {}: cannot write the rewritten path on the stack (sp {:#x}): {}{}; the call "
        "fails with EFAULT",
        t.tid, name, e.sp, std::strerror(written.error), written.why));
    patcher_.fail(t, e, name, EFAULT, seccomp_stop);
    if (log_) log_->end_call(t.tid, -static_cast<long>(EFAULT));
    if (record_) record_->result = -static_cast<long>(EFAULT);
    return true;
  }
  ++stats_.rewritten;
  // The log lines wait for the result, which on_exit() reads at the exit stop.
  t.restore.rule_count = static_cast<std::uint8_t>(count);
  t.restore.rule_ids = rewritten_by;
  return true;
}

void Rewriter::on_exit(const Tracee& t, const ExitStop& stop) {
  std::optional<long> result;
  if (stop.have_result) result = stop.result;
  if (stop.have_result && stop.pending.rule_count > 0 && is_error(stop.result)) {
    ++stats_.rewritten_failed;
    for (unsigned i = 0; i < stop.pending.rule_count; ++i)
      if (stop.pending.rule_ids[i] < stats_.rule_failed.size())
        ++stats_.rule_failed[stop.pending.rule_ids[i]];
  }
  on_call_end(t.tid, result);
}

void Rewriter::note_arg(unsigned arg, const rules::PathArg& value, const rules::Decision& d) {
  PathEventArg& a = record_->args.emplace_back();
  a.arg = arg;
  a.passed = value.passed;
  a.resolved = value.resolved.value_or(std::string_view());
  a.action = d.kind;
  a.rule = d.rule;
  if (d.kind == Kind::rewrite && d.error == 0) a.replacement = d.replacement;
}

void Rewriter::record_rest(const Tracee& t, const SyscallEntry& e, PathEvent& event) {
  const rules::SyscallInfo& info = rules::syscall_info(event.sys);
  for (unsigned neutral = 0; neutral < 6; ++neutral) {
    if (!(info.paths & (1u << neutral))) continue;
    const rules::PathBase pb = info.bases.of(neutral);
    if (pb.kind == rules::PathBase::Kind::link) continue;  // a symlink's target: no access
    const unsigned arg = rules::native_arg(event.sys, neutral, e.audit_arch);
    if (std::ranges::any_of(event.args, [&](const PathEventArg& a) { return a.arg == arg; }))
      continue;  // on_entry() read it for a rule
    StringRead r = io_.read_string(t.tid, RemotePtr{e.args[arg]}, in_[0]);
    if (r.status != StringRead::Status::ok) continue;
    rules::ArgBase base;
    if (pb.kind == rules::PathBase::Kind::dirfd) {
      base.kind = rules::ArgBase::Kind::dirfd;
      base.dirfd_reg = static_cast<std::uint8_t>(pb.dirfd_on(event.sys, e.audit_arch).value_or(0));
    }
    rules::PathArg value{std::string_view(in_[0].data(), r.length), {}};
    std::string_view why;
    value.resolved = resolve(t, e, base, value.passed, resolved_[0], why);
    PathEvent* saved = std::exchange(record_, &event);
    note_arg(arg, value, rules::Decision{});
    record_ = saved;
  }
  std::ranges::sort(event.args, {}, &PathEventArg::arg);
}

void Rewriter::on_call_end(pid_t tid, std::optional<long> result) {
  if (log_) log_->end_call(tid, result);
}

}  // namespace redirect::engine
