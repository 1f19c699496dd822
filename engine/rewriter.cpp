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

std::optional<StringRead> Rewriter::read_unix_path(const Tracee& t, const SyscallEntry& e,
                                                   rules::ArgBase base, unsigned arg,
                                                   std::span<char> buf) {
  const arch::Personality& p = *e.personality;
  std::uint64_t addr = e.args[arg];
  std::uint64_t len = static_cast<std::uint32_t>(e.raw_args[base.dirfd_reg]);  // a socklen_t
  if (base.kind == rules::ArgBase::Kind::msghdr) {
    // struct msghdr starts { void* msg_name; socklen_t msg_namelen; ... } on every ABI.
    msghdr_size_ = p.pointer_size == 8 ? 56 : 28;
    if (!io_.read_bytes(t.tid, RemotePtr{addr}, std::span(msghdr_.data(), msghdr_size_)))
      return std::nullopt;  // EFAULT from the kernel, as natively
    addr = 0;
    std::memcpy(&addr, msghdr_.data(), p.pointer_size);
    std::uint32_t namelen;
    std::memcpy(&namelen, msghdr_.data() + p.pointer_size, sizeof namelen);
    len = namelen;
  }
  // sa_family (2 bytes), then at least one byte of path; the kernel reads at most
  // sizeof(struct sockaddr_un) bytes of an AF_UNIX address.
  if (addr == 0 || len <= 2) return std::nullopt;
  len = std::min<std::uint64_t>(len, 2 + unix_path_max);
  std::array<char, 2 + unix_path_max> raw;
  if (!io_.read_bytes(t.tid, RemotePtr{addr}, std::span(raw.data(), len))) return std::nullopt;
  std::uint16_t family;
  std::memcpy(&family, raw.data(), sizeof family);
  if (family != af_unix || raw[2] == '\0') return std::nullopt;  // not AF_UNIX, or abstract
  // sun_path need not be NUL-terminated: the kernel ends it at the length (unix_mkname).
  std::string_view path(raw.data() + 2, len - 2);
  path = path.substr(0, path.find('\0'));
  std::copy(path.begin(), path.end(), buf.begin());
  buf[path.size()] = '\0';
  return StringRead{StringRead::Status::ok, path.size(), 0};
}

std::span<const char> Rewriter::socket_address(const arch::Personality& p, rules::ArgBase base,
                                               std::string_view path, RegValue& length,
                                               PieceLink& link) {
  // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }: family, path, NUL.
  const std::uint16_t family = af_unix;
  std::memcpy(socket_out_.data(), &family, sizeof family);
  std::copy(path.begin(), path.end(), socket_out_.begin() + 2);
  socket_out_[2 + path.size()] = '\0';
  // A path of exactly 108 bytes has no room for its NUL; the kernel ends it at the length.
  const std::size_t size = std::min(2 + path.size() + 1, 2 + unix_path_max);
  length.value = size;
  if (base.kind == rules::ArgBase::Kind::sockaddr) return std::span(socket_out_.data(), size);
  // sendmsg: the sockaddr, then a copy of the program's msghdr naming it.
  constexpr std::size_t hdr_at = 2 + unix_path_max + 2;  // 112: 8-byte aligned
  std::copy(msghdr_.begin(), msghdr_.begin() + msghdr_size_, socket_out_.begin() + hdr_at);
  const auto namelen = static_cast<std::uint32_t>(size);
  std::memcpy(socket_out_.data() + hdr_at + p.pointer_size, &namelen, sizeof namelen);
  link.reg_offset = hdr_at;
  link.self_pointer_at = hdr_at;
  return std::span(socket_out_.data(), hdr_at + msghdr_size_);
}

bool Rewriter::on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop) {
  restarted_ = false;
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

  // Decide every selected argument first; patch afterwards, all at once; then log and count,
  // unless making the scratch mapping restarted the call (it will be decided again).
  struct Logged {
    unsigned arg;
    rules::PathArg value;
    rules::Decision d;
    bool same;
  };
  std::array<Logged, rules::kSyscallArgs> logged;
  unsigned logged_count = 0;
  std::array<std::uint8_t, rules::kSyscallArgs> rewritten_arg{};
  std::array<std::uint32_t, rules::kSyscallArgs> rewritten_by{};  // for --stats' failures
  std::array<std::size_t, rules::kSyscallArgs> size{};  // with the NUL
  unsigned count = 0;
  int fail_errno = 0;
  int socket_piece = -1;  // which of the rewritten arguments is a socket address
  rules::ArgBase socket_base;
  for (std::size_t k = 0; k < args.size() && k < in_.size(); ++k) {
    const unsigned arg = args[k];
    const rules::ArgBase base = call.base(arg);
    const bool socket =
        base.kind == rules::ArgBase::Kind::sockaddr || base.kind == rules::ArgBase::Kind::msghdr;
    StringRead r;
    if (socket) {
      std::optional<StringRead> path = read_unix_path(t, e, base, arg, in_[k]);
      if (!path) continue;  // another family, abstract or unnamed: no path at all
      r = *path;
    } else {
      r = io_.read_string(t.tid, RemotePtr{e.args[arg]}, in_[k]);
    }
    if (r.status == StringRead::Status::gone) return true;
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
    std::string_view why;
    // trace records the resolved form of every path, whatever the rules want.
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
    std::string_view matched = d.rule->resolved ? *value.resolved : value.passed;
    // A rewrite that gives back the path it matched changes nothing: the program's own string
    // stays (see rewriter.h).
    const bool same = d.kind == Kind::rewrite && d.error == 0 && d.replacement == matched;
    logged[logged_count++] = {arg, value, d, same};
    if (d.kind == Kind::deny || (d.kind == Kind::rewrite && d.error != 0)) {
      fail_errno = d.error;  // ENAMETOOLONG when the rewrite does not fit in PATH_MAX
      break;
    }
    if (d.kind == Kind::rewrite && !same) {
      if (socket) {
        if (d.replacement.size() > unix_path_max) {
          // The kernel would refuse the path itself; sun_path cannot even carry it.
          if (log_)
            log_->problem(t.tid, name,
                          fmt::format("the rewritten socket path is {} bytes; sun_path holds "
                                      "{}: the call fails with ENAMETOOLONG",
                                      d.replacement.size(), unix_path_max));
          fail_errno = ENAMETOOLONG;
          break;
        }
        socket_piece = static_cast<int>(count);
        socket_base = base;
      }
      rewritten_arg[count] = static_cast<std::uint8_t>(arg);
      rewritten_by[count] = static_cast<std::uint32_t>(d.rule->id);
      size[count] = d.replacement.size() + 1;
      ++count;
    }
  }
  PatchOutcome written;
  if (!options_.dry_run && fail_errno == 0 && count != 0) {
    std::array<std::span<const char>, rules::kSyscallArgs> bytes;
    for (unsigned i = 0; i < count; ++i) bytes[i] = std::span<const char>(out_[i].data(), size[i]);
    RegValue length;
    PieceLink link;
    std::span<const RegValue> also;
    std::span<const PieceLink> links;
    if (socket_piece >= 0) {
      const auto i = static_cast<std::size_t>(socket_piece);
      bytes[i] = socket_address(*e.personality, socket_base, std::string_view(out_[i].data(),
                                size[i] - 1), length, link);
      length.arg = socket_base.dirfd_reg;
      link.piece = static_cast<std::uint8_t>(i);
      if (socket_base.kind == rules::ArgBase::Kind::sockaddr)
        also = std::span(&length, 1);
      else
        links = std::span(&link, 1);
    }
    written = patcher_.point_args_at(t, e, name, std::span(rewritten_arg.data(), count),
                                     std::span(bytes.data(), count), also, links);
    if (written.restarted) {
      restarted_ = true;
      return true;
    }
  }
  for (unsigned i = 0; i < logged_count; ++i) {
    const Logged& l = logged[i];
    if (l.d.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[l.d.rule->id];
    if (l.d.match_error) ++stats_.match_errors;
    if (log_)
      log_->decision(t.tid, name, l.arg, l.value.passed,
                     l.d.rule->resolved ? l.value.resolved : std::nullopt, l.d, l.same,
                     options_.dry_run);
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
  if (written.error == ESRCH) {
    if (log_) log_->end_call(t.tid, std::nullopt);
    return true;
  }
  if (written.error != 0) {
    // No mapping and no room on a goroutine-safe stretch of stack, or a tiny sigaltstack:
    // failing loudly beats running the call unchanged.
    const int error = written.error == ENOMEM ? ENOMEM : EFAULT;
    if (log_)
      log_->problem(t.tid, name,
                    fmt::format("cannot write the rewritten path (sp {:#x}): {}{}", e.sp,
                                std::strerror(written.error), written.why));
    notices_.say(fmt::format(
        "pid {}: {}: cannot write the rewritten path (sp {:#x}): {}{}; the call fails with {}",
        t.tid, name, e.sp, std::strerror(written.error), written.why,
        error == ENOMEM ? "ENOMEM" : "EFAULT"));
    patcher_.fail(t, e, name, error, seccomp_stop);
    if (log_) log_->end_call(t.tid, -static_cast<long>(error));
    if (record_) record_->result = -static_cast<long>(error);
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
  if (stop.have_result && stop.pending.rule_count > 0 && is_error_result(stop.result)) {
    ++stats_.rewritten_failed;
    for (unsigned i = 0; i < stop.pending.rule_count; ++i)
      if (stop.pending.rule_ids[i] < stats_.rule_failed.size())
        ++stats_.rule_failed[stop.pending.rule_ids[i]];
  }
  if (log_) log_->end_call(t.tid, result);
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

void Rewriter::on_call_restarted(pid_t tid, const ExitStop& held) {
  if (log_) log_->discard(tid);
  if (held.pending.rule_count == 0) return;
  --stats_.rewritten;
  for (unsigned i = 0; i < held.pending.rule_count; ++i) {
    const std::uint32_t id = held.pending.rule_ids[i];
    if (id < stats_.rule_hits.size()) --stats_.rule_hits[id];
  }
}

void Rewriter::on_call_end(pid_t tid, std::optional<long> result) {
  if (!log_) return;
  log_->end_call(tid, result);
  log_->forget_name(tid);  // an exec (a new program) or the thread's end
}

}  // namespace redirect::engine
