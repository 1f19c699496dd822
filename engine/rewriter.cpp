// Rewriter: entry decision and exit restore (see rewriter.h). Cost per trapped syscall: one
// process_vm_readv per selected string argument (one page at most for a normal path); when
// rewritten, one process_vm_writev for all new strings and one PTRACE_POKEUSER per changed
// register, then the same POKEUSERs at exit.
#include "engine/rewriter.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "engine/check.h"
#include "engine/scratch.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

using Kind = rules::Decision::Kind;

[[noreturn]] void ptrace_failed(int err, pid_t tid, std::string_view syscall, const char* what) {
  throw fmt::system_error(err, "pid {}: {}: {}", tid, syscall, what);
}

// Makes on_exit() put back the tracee's own values of the argument registers `args` (none:
// the exit stop is wanted for another reason, such as a sigaltstack result).
void expect_restore(Tracee& t, const SyscallEntry& e, std::span<const std::uint8_t> args) {
  PendingRestore& saved = t.restore;
  saved = PendingRestore{};
  for (std::size_t i = 0; i < args.size(); ++i) {
    saved.arg[i] = args[i];
    saved.value[i] = e.raw_args[args[i]];
  }
  saved.count = static_cast<std::uint8_t>(args.size());
  saved.nr = e.nr;
  saved.personality = e.personality;
}

}  // namespace

bool is_syscall(rules::Sys s, long nr, std::uint32_t audit_arch) {
  auto n = rules::syscall_number(s, audit_arch);
  return n && *n == nr;
}

namespace {

// sigaltstack(ss, old): read the requested alternate stack at entry and ask for the exit stop;
// on_exit() makes it the thread's only if the call returned 0. A failed call (ENOMEM for a too
// small stack, EPERM while running on the old one) keeps the old stack in force, and forgetting
// that would let scratch strings overwrite the memory below it.
void note_sigaltstack(Tracee& t, const SyscallEntry& e) {
  if (e.args[0] == 0) return;  // a query
  const arch::Personality& p = *e.personality;
  // stack_t: { void* ss_sp; int ss_flags; size_t ss_size; } with the ABI's pointer size.
  char raw[24] = {};
  std::size_t size = p.pointer_size == 8 ? 24 : 12;
  if (!read_bytes(t.tid, RemotePtr{e.args[0]}, std::span(raw, size))) return;  // EFAULT
  std::uint64_t sp = 0, len = 0;
  std::int32_t flags = 0;
  std::memcpy(&sp, raw, p.pointer_size);
  std::memcpy(&flags, raw + p.pointer_size, 4);
  std::memcpy(&len, raw + (p.pointer_size == 8 ? 16 : 8), p.pointer_size);
  constexpr std::int32_t ss_disable = 2;  // SS_DISABLE, the same on every Linux ABI
  expect_restore(t, e, {});
  PendingRestore& pending = t.restore;
  pending.altstack_pending = true;
  if (!(flags & ss_disable)) pending.altstack_lo = sp, pending.altstack_hi = sp + len;
}

}  // namespace

Rewriter::Rewriter(std::span<const rules::Matcher* const> matchers, Options options,
                   DecisionLog* log, Stats& stats, Notices& notices)
    : matchers_(matchers), options_(options), log_(log), stats_(stats), notices_(notices) {
  std::size_t rules = 0;
  for (const rules::Matcher* m : matchers_) rules = std::max(rules, m->rules().size());
  stats_.rule_hits.resize(rules);
}

const rules::Matcher* Rewriter::matcher_for(std::uint32_t audit_arch) const {
  for (const rules::Matcher* m : matchers_)
    if (m->audit_arch() == audit_arch) return m;
  return nullptr;
}

void Rewriter::on_entry(Tracee& t, const SyscallEntry& e, bool seccomp_stop) {
  const rules::Matcher* m = matcher_for(e.audit_arch);
  if (!m || !e.personality) {
    ++stats_.foreign;
    return;
  }
  std::string_view name = m->syscall_name(e.nr);
  if (m->has_call_rules(e.nr)) {
    // A deny/allow of the whole call (io_uring_setup...): decided before any argument is read.
    rules::Decision d = m->decide_call(e.nr);
    if (d.kind != Kind::none) {
      if (d.rule && d.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[d.rule->id];
      if (log_) log_->call_decision(t.tid, name, d, options_.dry_run);
      if (d.kind == Kind::deny && !options_.dry_run)
        return fail_syscall(t, e, name, d.error, seccomp_stop);
      return;
    }
  }
  std::span<const std::uint8_t> args = m->args_of(e.nr);
  if (args.empty()) {
    if (is_syscall(rules::Sys::sigaltstack, e.nr, e.audit_arch)) return note_sigaltstack(t, e);
    if (is_syscall(rules::Sys::clone, e.nr, e.audit_arch)) return untrace_clone(t, e, name);
    if (is_syscall(rules::Sys::clone3, e.nr, e.audit_arch)) return untrace_clone3(t, e, name);
    // Trapped only to be watched (see Tracer: io_uring_setup when rules rewrite paths).
    if (log_ && is_syscall(rules::Sys::io_uring_setup, e.nr, e.audit_arch))
      log_->warning(t.tid, name,
                    "files this process opens through io_uring do not pass through the "
                    "syscalls the rules rewrite");
    return;
  }

  // Decide every selected argument first; patch afterwards, all at once.
  std::array<std::uint8_t, 6> rewritten_arg{};
  std::array<std::size_t, 6> size{};  // with the NUL
  unsigned count = 0;
  int fail_errno = 0;
  for (std::size_t k = 0; k < args.size() && k < in_.size(); ++k) {
    unsigned arg = args[k];
    StringRead r = read_c_string(t.tid, RemotePtr{e.args[arg]}, in_[k]);
    if (r.status == StringRead::Status::gone) return;
    if (r.status == StringRead::Status::failed)
      ptrace_failed(r.error, t.tid, name, "process_vm_readv");
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
    std::string_view old(in_[k].data(), r.length);
    rules::Decision d = m->decide(e.nr, arg, old, out_[count]);
    if (d.kind == Kind::none) continue;
    if (d.rule && d.rule->id < stats_.rule_hits.size()) ++stats_.rule_hits[d.rule->id];
    if (log_) log_->decision(t.tid, name, arg, old, d, options_.dry_run);
    if (d.kind == Kind::deny || (d.kind == Kind::rewrite && d.error != 0)) {
      fail_errno = d.error;  // ENAMETOOLONG when the rewrite does not fit in PATH_MAX
      break;
    }
    if (d.kind == Kind::rewrite) {
      rewritten_arg[count] = static_cast<std::uint8_t>(arg);
      size[count] = d.replacement.size() + 1;
      ++count;
    }
  }
  if (options_.dry_run) return;
  if (fail_errno != 0) return fail_syscall(t, e, name, fail_errno, seccomp_stop);
  if (count == 0) return;

  std::array<std::span<const char>, 6> bytes;
  for (unsigned i = 0; i < count; ++i) bytes[i] = std::span<const char>(out_[i].data(), size[i]);
  const char* why = "";
  int write_errno = point_args_at_copies(t, e, name, std::span(rewritten_arg.data(), count),
                                         std::span(bytes.data(), count), why);
  if (write_errno == ESRCH) return;
  if (write_errno != 0) {
    // A full or tiny stack (sigaltstack): failing loudly beats running the call unchanged.
    if (log_)
      log_->problem(t.tid, name,
                    fmt::format("cannot write the rewritten path below sp {:#x}: {}{}", e.sp,
                                std::strerror(write_errno), why));
    notices_.say(fmt::format(
        "pid {}: {}: cannot write the rewritten path on the stack (sp {:#x}): {}{}; the call "
        "fails with EFAULT",
        t.tid, name, e.sp, std::strerror(write_errno), why));
    return fail_syscall(t, e, name, EFAULT, seccomp_stop);
  }
  ++stats_.rewritten;
}

int Rewriter::point_args_at_copies(Tracee& t, const SyscallEntry& e, std::string_view name,
                                   std::span<const std::uint8_t> args,
                                   std::span<const std::span<const char>> bytes,
                                   const char*& why) {
  const arch::Personality& p = *e.personality;
  REDIRECT_CHECK(!t.restore_pending(), t.tid);  // the previous call's exit stop was missed
  std::array<std::size_t, 6> size{};
  for (std::size_t i = 0; i < bytes.size(); ++i) size[i] = bytes[i].size();
  auto layout = layout_scratch(e.sp, p.red_zone, std::span(size.data(), bytes.size()));
  if (!layout) return EFAULT;
  if (t.altstack_hi > t.altstack_lo && e.sp > t.altstack_lo && e.sp <= t.altstack_hi &&
      layout->lowest.addr < t.altstack_lo) {
    // On a sigaltstack, what lies below it is the program's data, not free stack.
    why = " (not enough room on the alternate signal stack)";
    return ENOSPC;
  }
  std::array<RemoteWrite, 6> pieces;
  for (std::size_t i = 0; i < bytes.size(); ++i) pieces[i] = {layout->at[i], bytes[i]};
  if (int err = write_remote(t.tid, std::span(pieces.data(), bytes.size())); err != 0) return err;

  RegPatch patch(p);
  for (std::size_t i = 0; i < args.size(); ++i) patch.set_arg(args[i], layout->at[i].addr);
  if (int err = patch.apply(t.tid); err != 0) {
    if (err == ESRCH) return err;
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (argument)");
  }
  expect_restore(t, e, args);
  return 0;
}

void Rewriter::untrace_clone(Tracee& t, const SyscallEntry& e, std::string_view name) {
  // clone(flags, ...): clear CLONE_UNTRACED in the register, put it back at the exit stop.
  if (!(e.raw_args[0] & clone_untraced)) return;
  REDIRECT_CHECK(!t.restore_pending(), t.tid);
  RegPatch patch(*e.personality);
  patch.set_arg(0, e.raw_args[0] & ~clone_untraced);
  if (int err = patch.apply(t.tid); err != 0) {
    if (err == ESRCH) return;
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (clone flags)");
  }
  const std::uint8_t flags_arg[] = {0};
  expect_restore(t, e, flags_arg);
  if (log_) log_->warning(t.tid, name, "cleared CLONE_UNTRACED so that the child is traced too");
}

void Rewriter::untrace_clone3(Tracee& t, const SyscallEntry& e, std::string_view name) {
  // clone3(struct clone_args* args, size_t size): flags is the struct's first u64. The
  // program's struct is left alone; a copy without CLONE_UNTRACED goes below sp instead.
  std::size_t size = e.args[1];
  char* copy = out_[0].data();
  if (size < 8 || size > 512 || !read_bytes(t.tid, RemotePtr{e.args[0]}, std::span(copy, size)))
    return;  // the kernel answers EINVAL/EFAULT itself
  std::uint64_t flags;
  std::memcpy(&flags, copy, sizeof flags);
  if (!(flags & clone_untraced)) return;
  flags &= ~clone_untraced;
  std::memcpy(copy, &flags, sizeof flags);
  const std::uint8_t arg0[] = {0};
  const std::span<const char> bytes[] = {std::span<const char>(copy, size)};
  const char* why = "";
  int err = point_args_at_copies(t, e, name, arg0, bytes, why);
  if (err == ESRCH) return;
  if (log_)
    log_->warning(t.tid, name,
                  err == 0 ? std::string("cleared CLONE_UNTRACED so that the child is traced too")
                           : fmt::format("cannot clear CLONE_UNTRACED: {}{}; the child will run "
                                         "untraced",
                                         std::strerror(err), why));
}

void Rewriter::fail_syscall(Tracee& t, const SyscallEntry& e, std::string_view name, int error,
                            bool seccomp_stop) {
  // At a seccomp stop the kernel skips a syscall whose number became -1 and returns whatever
  // the tracer left in the result register (seccomp(2), SECCOMP_RET_TRACE). At a PTRACE_SYSCALL
  // entry stop, x86_64 keeps it too, but other arches set -ENOSYS: set it again at exit.
  RegPatch patch(*e.personality);
  patch.set_nr(-1);
  patch.set_result(-error);
  if (int err = patch.apply(t.tid); err != 0) {
    if (err == ESRCH) return;
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (cancel)");
  }
  ++stats_.denied;
  if (!seccomp_stop) {
    t.restore = PendingRestore{};
    t.restore.personality = e.personality;
    t.restore.deny_errno = error;
    t.restore.nr = e.nr;
  }
}

void Rewriter::on_exit(Tracee& t) {
  PendingRestore& saved = t.restore;
  if (!saved.personality) return;
  const arch::Personality& p = *saved.personality;
  RegPatch patch(p);
  for (unsigned i = 0; i < saved.count; ++i)
    if (!(p.result_is_arg0 && saved.arg[i] == 0)) patch.set_arg(saved.arg[i], saved.value[i]);
  if (saved.deny_errno != 0) patch.set_result(-saved.deny_errno);
  int err = patch.empty() ? 0 : patch.apply(t.tid);
  if (saved.altstack_pending && err == 0) {
    long result = -1;
    err = read_result(t.tid, p, result);
    if (err == 0 && result == 0) {
      t.altstack_lo = saved.altstack_lo;
      t.altstack_hi = saved.altstack_hi;
    }
  }
  long nr = saved.nr;
  saved = PendingRestore{};
  if (err != 0 && err != ESRCH) {
    const rules::Matcher* m = matcher_for(p.audit_arch);
    ptrace_failed(err, t.tid, m ? m->syscall_name(nr) : "syscall", "PTRACE_POKEUSER (restore)");
  }
}

}  // namespace redirect::engine
