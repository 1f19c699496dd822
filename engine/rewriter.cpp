// Rewriter: the entry decision (see rewriter.h). Cost per trapped syscall: one
// process_vm_readv per selected string argument (one page at most for a normal path); for a
// relative one, a copy of the kept working-directory name (cwd_names.h) or one readlink of
// /proc for a dirfd; when rewritten, what SyscallPatcher costs.
#include "engine/rewriter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "engine/confined_walk.h"
#include "engine/entry_patch.h"
#include "rules/path_resolve.h"
#include "rules/last_link.h"
#include "rules/path_text.h"
#include "rules/syscall_table.h"
#include "rules/unnamed_directory.h"

namespace redirect::engine {
namespace {

using rules::Action;

[[noreturn]] void read_failed(int err, pid_t tid, std::string_view syscall) {
  throw fmt::system_error(err, "pid {}: {}: process_vm_readv", tid, syscall);
}

// The dirfd argument as the kernel reads it: an int, whatever the register's upper half holds.
int dirfd_value(const SyscallEntry& e, rules::ArgBase base) {
  if (base.kind != rules::ArgBase::Kind::dirfd) return rules::at_fdcwd;
  return static_cast<int>(static_cast<std::uint32_t>(e.raw_args[base.dirfd_reg]));
}

// A symlink made inside a prefix rule's replacement stores its target as the program wrote it
// when a prefix rule would move that target too: inside a replacement, links are followed in
// the program's view, so the link works there, and readlink and realpath show the program the
// path it wrote, as natively. A link made anywhere else gets the target's host path, since
// the kernel follows it on the host.
void keep_link_targets_in_bundle(EntryDecision& d) {
  const auto by_prefix_rule = [](const ArgDecision& a) {
    return a.decision.action == rules::Action::rewrite && a.decision.rule->prefix_map;
  };
  // Where the kernel makes the link: below the deciding prefix rule's replacement (a path
  // that only passed through a replacement, as "host/../x", is not).
  const auto made_in_tree = [&](const ArgDecision& a) {
    if (!rules::is_path(a.base) || !by_prefix_rule(a)) return false;
    const std::string& root = a.decision.rule->prefix_map->replacement;
    const std::string_view at = a.decision.replacement;
    return at.starts_with(root) && (at.size() == root.size() || at[root.size()] == '/');
  };
  const auto args = d.decided();
  if (std::none_of(args.begin(), args.end(), made_in_tree)) return;
  for (ArgDecision& a : args)
    if (a.base.kind == rules::ArgBase::Kind::link && by_prefix_rule(a) && !a.same)
      a.target_kept = true;
}

bool is_socket(rules::ArgBase base) {
  return base.kind == rules::ArgBase::Kind::sockaddr || base.kind == rules::ArgBase::Kind::msghdr;
}

}  // namespace

Rewriter::Rewriter(std::span<const rules::Matcher* const> matchers, Options options,
                   TraceeIo& io, SyscallPatcher& patcher, const OwnTraps& traps,
                   DecisionLog* log, Stats& stats, Notices& notices)
    : options_(options),
      io_(io),
      patcher_(patcher),
      traps_(traps),
      stats_(stats),
      notices_(notices),
      view_(matchers.empty() ? std::span<const rules::CompiledRule>() : matchers.front()->rules(),
            fs_),
      getcwd_(matchers, io),
      report_(matchers.empty() ? 0 : matchers.front()->rules().size(), options.dry_run, log,
              stats, notices) {
  for (const rules::Matcher* m : matchers)
    for (std::size_t i = 0; i < by_abi_.size(); ++i)
      if (arch::native::personalities[i].audit_arch == m->audit_arch()) by_abi_[i] = m;
}

const rules::Matcher* Rewriter::matcher_for(const SyscallEntry& e) const {
  return e.personality ? by_abi_[e.abi] : nullptr;
}

const EntryDecision& Rewriter::on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop,
                                        bool every_path) {
  decision_ = EntryDecision{};
  every_path_ = every_path;
  if (getcwd_.on_entry(t, e)) return decision_;  // its answer is read back at the exit stop
  const rules::Matcher* m = matcher_for(e);
  if (!m) {
    ++stats_.foreign;
    return decision_;
  }
  const rules::SyscallRules call = m->find(e.nr);
  if (!call && !every_path) return decision_;
  decide(t, e, *m, call, every_path);
  if (decision_.applied == Applied::gone) return decision_;
  apply_entry(patcher_, socket_, t, e, decision_, seccomp_stop, options_.dry_run);
  if (decision_.applied == Applied::restarted) return decision_;  // decided again at re-entry
  if (decision_.applied == Applied::patched) {
    // The exit stop counts a rewritten call the kernel fails against its rules (--stats).
    for (const ArgDecision& a : decision_.decided())
      if (a.changes()) t.exit_plan.rule_ids[t.exit_plan.rule_count++] = a.decision.rule->id;
  }
  report_.entry(t, e, decision_);
  return decision_;
}

void Rewriter::decide(const Tracee& t, const SyscallEntry& e, const rules::Matcher& m,
                      const rules::SyscallRules& call, bool every_path) {
  decision_.syscall = call ? call.name() : m.syscall_name(e.nr);
  // A deny/allow of the whole call (io_uring_setup...): decided before any argument is read.
  if (call.has_call_rules()) decision_.call = m.decide_call(call);
  if (rules::fails_call(decision_.call.action)) decision_.fail_errno = decision_.call.error;
  const bool by_rules = decision_.call.action == Action::none;
  std::array<std::uint8_t, rules::kSyscallArgs> regs{};
  std::array<rules::ArgBase, rules::kSyscallArgs> bases{};
  unsigned n = 0;
  if (by_rules)
    for (std::uint8_t arg : call.args()) regs[n] = arg, bases[n++] = call.base(arg);
  if (every_path)
    for (const rules::PathArgument& p : rules::path_arguments(e.nr, e.audit_arch))
      if (std::find(regs.begin(), regs.begin() + n, p.reg) == regs.begin() + n)
        regs[n] = p.reg, bases[n++] = p.base;
  for (unsigned i = 0; i < n && decision_.fail_errno == 0; ++i) {
    const std::size_t k = decision_.arg_count;
    if (decide_arg(t, e, m, call, regs[i], bases[i], k)) ++decision_.arg_count;
    if (decision_.applied == Applied::gone) return;
  }
  std::sort(decision_.args.begin(), decision_.args.begin() + decision_.arg_count,
            [](const ArgDecision& a, const ArgDecision& b) { return a.arg < b.arg; });
  keep_link_targets_in_bundle(decision_);
}

bool Rewriter::decide_arg(const Tracee& t, const SyscallEntry& e, const rules::Matcher& m,
                          const rules::SyscallRules& call, unsigned arg, rules::ArgBase base,
                          std::size_t k) {
  std::size_t length = 0;
  if (!read_arg(t, e, base, arg, k, length)) return false;
  ArgDecision& a = decision_.args[k];
  a = ArgDecision{};
  a.arg = static_cast<std::uint8_t>(arg);
  a.base = base;
  a.socket = is_socket(base);
  a.value.passed = std::string_view(in_[k].data(), length);
  const auto wanted = call.args();
  const bool ruled = std::find(wanted.begin(), wanted.end(), arg) != wanted.end();
  named_dir_ = {};
  if ((ruled && call.wants_resolved(arg)) || (every_path_ && rules::is_path(base)))
    a.value.resolved = resolve(t, e, ruled ? &call : nullptr, arg, k, base, a.value.passed,
                               a.unnamed_why);
  if (!ruled) return true;
  a.decision = m.decide(call, arg, a.value, out_[k]);
  const int fd = dirfd_value(e, base);
  if (a.decision.action != Action::none && a.decision.rule->resolved &&
      rules::is_relative_path(a.value.passed) && fd != rules::at_fdcwd &&
      !io_.fd_is_directory(t.tid, fd)) {
    // A dirfd that is open but not on a directory (a regular file): the kernel answers
    // ENOTDIR, which a rewrite to an absolute path would hide. Checked only now, when a rule
    // would act, so unmatched calls pay nothing for it.
    a.unnamed_why = rules::unnamed::not_directory;
    a.value.resolved.reset();
    a.decision = m.decide(call, arg, a.value, out_[k]);
  }
  finish_arg(t, e, k);
  if (rules::fails_call(a.decision.action)) decision_.fail_errno = a.decision.error;
  return true;
}

bool Rewriter::read_arg(const Tracee& t, const SyscallEntry& e, rules::ArgBase base,
                        unsigned arg, std::size_t k, std::size_t& length) {
  StringRead r;
  if (is_socket(base)) {
    std::optional<StringRead> path = socket_.read(io_, t.tid, e, base, arg, in_[k]);
    if (!path) return false;  // another family, abstract or unnamed: no path at all
    r = *path;
  } else {
    r = io_.read_string(t.tid, RemotePtr{e.args[arg]}, in_[k]);
  }
  switch (r.status) {
    case StringRead::Status::ok:
      length = r.length;
      return true;
    case StringRead::Status::gone:
      decision_.applied = Applied::gone;
      return false;
    case StringRead::Status::failed:
      read_failed(r.error, t.tid, decision_.syscall);
    case StringRead::Status::forbidden:
      // A non-dumpable tracee and an unprivileged tracer: its paths cannot be read, so they
      // cannot be rewritten. Said once per run, never silently.
      if (!std::exchange(warned_forbidden_, true))
        notices_.say(fmt::format(
            "pid {}: {}: cannot read the memory of a non-dumpable process "
            "(prctl(PR_SET_DUMPABLE, 0) or an unreadable executable) without CAP_SYS_PTRACE; "
            "its paths are left as they are",
            t.tid, decision_.syscall));
      return false;
    case StringRead::Status::unreadable:
    case StringRead::Status::unterminated:
      // Not an error: the kernel will answer EFAULT or ENAMETOOLONG as it would natively.
      ++stats_.unreadable;
      return false;
  }
  return false;
}

void Rewriter::finish_arg(const Tracee& t, const SyscallEntry& e, std::size_t k) {
  ArgDecision& a = decision_.args[k];
  // What the kernel is handed for a path matched in the program's view; whether the program's
  // own string reaches it already.
  std::optional<bool> reached;
  if (a.value.resolved && (a.decision.rule == nullptr || a.decision.rule->resolved)) {
    auto sys = rules::syscall_from_number(static_cast<int>(e.nr), e.audit_arch);
    const bool follows = sys && rules::follows_last_link(*sys, a.arg, e.args, e.audit_arch);
    reached = view_.finish(static_cast<unsigned>(k), a.arg, follows, *a.value.resolved,
                           a.decision, out_[k]);
  }
  if (a.decision.action == Action::rewrite && walk_is_confined(io_, t.tid, e) &&
      !keep_below_dirfd(named_dir_, a.decision, out_[k])) {
    // The walk must stay below the dirfd (confined_walk.h): left as the program made it.
    a.confined = true;
    a.decision = rules::Decision{};
  }
  if (a.decision.action == Action::rewrite)
    a.same = reached ? *reached
                     : a.decision.replacement == a.matched_resolved().value_or(a.value.passed);
}

std::optional<std::string_view> Rewriter::resolve(const Tracee& t, const SyscallEntry& e,
                                                  const rules::SyscallRules* call, unsigned arg,
                                                  std::size_t k, rules::ArgBase base,
                                                  std::string_view passed,
                                                  std::string_view& why) {
  // After chroot the tracee's paths, absolute ones too, name files of another tree than the
  // one the rules were written for: they are all left as passed (as-passed rules still match).
  if (rules::is_path(base) && traps_.roots_may_differ() && !io_.shares_our_root(t.tid)) {
    why = rules::unnamed::other_root;
    return std::nullopt;
  }
  const rules::DirectoryNeed need = rules::directory_needed(base, passed, dirfd_value(e, base));
  if (need.kind != rules::DirectoryNeed::Kind::none) {
    std::optional<int> dirfd;
    if (need.kind == rules::DirectoryNeed::Kind::dirfd) dirfd = need.fd;
    DirName named = io_.name_directory(t.tid, dirfd, dir_);
    if (named.status != DirName::Status::ok) {
      why = named.why;
      return std::nullopt;
    }
    named_dir_ = std::string_view(dir_.data(), named.length);
  }
  fs_.set_thread(t.tid, !traps_.roots_may_differ());
  std::optional<std::string_view> path =
      view_.resolve(matcher_for(e), call, arg, static_cast<unsigned>(k), base, named_dir_,
                    passed, resolved_[k]);
  if (!path && named_dir_.empty()) return passed;  // cannot happen: collapsing only shortens
  if (!path) why = rules::unnamed::path_too_long;
  return path;
}

void Rewriter::on_exit(const Tracee& t, ExitStop& stop) {
  getcwd_.on_exit(t, stop);
  report_.exit(t.tid, stop);
}

void Rewriter::on_call_restarted(pid_t tid, const ExitStop& held) { report_.restarted(tid, held); }

void Rewriter::on_call_end(pid_t tid, std::optional<long> result) {
  report_.call_end(tid, result);
}

}  // namespace redirect::engine
