// OwnTraps (see own_traps.h).
#include "engine/own_traps.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <string>

#include <fmt/format.h>

#include "engine/program_filters.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

constexpr rules::Sys kTrapped[] = {rules::Sys::sigaltstack, rules::Sys::clone,
                                   rules::Sys::clone3,      rules::Sys::io_uring_setup,
                                   rules::Sys::chroot,      rules::Sys::pivot_root,
                                   rules::Sys::setns,       rules::Sys::ptrace,
                                   rules::Sys::seccomp,     rules::Sys::prctl};

std::string_view name_of(rules::Sys s) { return rules::syscall_info(s).name; }

}  // namespace

OwnTraps::OwnTraps(SyscallPatcher& patcher, ScratchAreas& scratch, DecisionLog* log,
                   Notices& notices)
    : patcher_(patcher), scratch_(scratch), log_(log), notices_(notices) {
  for (std::size_t i = 0; i < by_abi_.size(); ++i)
    by_abi_[i] = numbers_of(arch::native::personalities[i].audit_arch);
}

OwnTraps::Numbers OwnTraps::numbers_of(std::uint32_t audit_arch) {
  static_assert(std::size(kTrapped) == trap_count);
  Numbers n;
  for (std::size_t i = 0; i < trap_count; ++i)
    n[i] = rules::syscall_number(kTrapped[i], audit_arch).value_or(-1);
  return n;
}

std::vector<int> OwnTraps::numbers(std::uint32_t audit_arch) {
  std::vector<int> out;
  Numbers n = numbers_of(audit_arch);
  for (std::size_t i = 0; i < trap_count; ++i)
    if (n[i] >= 0 && i != clone && i != prctl) out.push_back(static_cast<int>(n[i]));
  std::ranges::sort(out);
  return out;
}

bool OwnTraps::on_entry(Tracee& t, const SyscallEntry& e) {
  if (!e.personality) return false;
  const Numbers& n = by_abi_[e.abi];
  auto at = std::ranges::find(n, e.nr);
  if (at == n.end()) return false;
  const auto trap = static_cast<Trap>(at - n.begin());
  if (t.exit_planned() && trap != chroot && trap != pivot_root && trap != setns && trap != seccomp &&
      trap != prctl)
    return true;
  switch (trap) {
    case sigaltstack:
      note_sigaltstack(t, e);
      break;
    case clone:
      keep_clone_traced(t, e);
      break;
    case clone3:
      keep_clone3_traced(t, e);
      break;
    case io_uring_setup:
      warn_io_uring(t);
      break;
    case ptrace:
      warn_nested_tracer(t, e);
      break;
    case seccomp:
    case prctl:
      // Said at entry, before the filter is in force (prctl is trapped only with
      // PR_SET_SECCOMP; in ptrace mode every prctl comes here). The mapping is made now, one
      // injected call per stop (the program's call runs again after each), for an allow-list
      // without mmap would kill the program at its first rewritten call.
      if (trap == seccomp || e.args[0] == pr_set_seccomp) {
        foreign_filters_ = true;
        // Its filter would see the stub's address after every one-stop rewrite (one_stop.h):
        // from now on, in every process, rewrites take two stops.
        patcher_.set_one_stop(false);
        scratch_.set_stubs(false);
        if (scratch_.map_ahead(t, e)) return true;
        // The call runs now: from here on an injection asks whether this filter allows it.
        scratch_.filters().on_install(t.tid, e);
      }
      break;
    case chroot:
    case pivot_root:
    case setns:
      // Said at entry, before the call can succeed: from now on every relative path's
      // directory is checked against the tracee's root (TraceeIo::shares_our_root).
      roots_may_differ_ = true;
      break;
    case trap_count:
      break;
  }
  return true;
}

// sigaltstack(ss, old): read the requested alternate stack at entry and ask for the exit stop;
// on_exit() makes it the thread's only if the call returned 0. A failed call (ENOMEM for a too
// small stack, EPERM while running on the old one) keeps the old stack in force, and forgetting
// that would let scratch strings overwrite the memory below it.
void OwnTraps::note_sigaltstack(Tracee& t, const SyscallEntry& e) {
  if (e.args[0] == 0) return;  // a query
  const arch::Personality& p = *e.personality;
  const arch::StackTLayout& at = p.stack_t_layout;
  char raw[24] = {};
  if (!read_bytes(t.tid, RemotePtr{e.args[0]}, std::span(raw, at.bytes))) return;  // EFAULT
  std::uint64_t sp = 0, len = 0;
  std::int32_t flags = 0;
  std::memcpy(&sp, raw + at.sp, p.pointer_size);
  std::memcpy(&flags, raw + at.flags, sizeof flags);
  std::memcpy(&len, raw + at.size, p.pointer_size);
  constexpr std::int32_t ss_disable = 2;  // SS_DISABLE, the same on every Linux ABI
  patcher_.watch_exit(t, e, name_of(rules::Sys::sigaltstack));
  ExitPlan& pending = t.exit_plan;
  pending.altstack_pending = true;
  if (!(flags & ss_disable)) pending.altstack_lo = sp, pending.altstack_hi = sp + len;
}

// Once per process (a program may set up a ring per thread): on stderr, and in the --log
// unless that is stderr too.
void OwnTraps::warn_io_uring(const Tracee& t) {
  const pid_t tgid = thread_group_of(t.tid);
  if (std::ranges::find(io_uring_warned_, tgid) != io_uring_warned_.end()) return;
  io_uring_warned_.push_back(tgid);
  const std::string_view what =
      "files this process opens through io_uring do not pass through the syscalls the rules "
      "rewrite";
  notices_.say(fmt::format("pid {}: io_uring_setup: {}", tgid, what));
  if (log_ && !log_->is_stderr()) log_->warning(t.tid, name_of(rules::Sys::io_uring_setup), what);
}

// ptrace(PTRACE_TRACEME / PTRACE_ATTACH / PTRACE_SEIZE): the program is a debugger or tracer.
// The kernel refuses it (EPERM: the tracee already has redirect as its tracer, or the target
// does); the program's own message rarely says why.
void OwnTraps::warn_nested_tracer(const Tracee& t, const SyscallEntry& e) {
  constexpr std::uint64_t traceme = 0, attach = 16, seize = 0x4206;  // linux/ptrace.h
  const std::uint64_t request = e.args[0];
  if (request != traceme && request != attach && request != seize) return;
  if (std::exchange(nested_tracer_warned_, true)) return;
  const std::string what = fmt::format(
      "the program is a tracer or debugger (ptrace({})), and a process can have only one "
      "tracer: redirect traces this program and every process it starts, so PTRACE_TRACEME "
      "and attaching to any of them fail with EPERM. Run the tool outside redirect (on the "
      "program alone), or see the program's path syscalls with `redirect --log -`",
      request == traceme ? "PTRACE_TRACEME" : request == attach ? "PTRACE_ATTACH" : "PTRACE_SEIZE");
  notices_.say(fmt::format("pid {}: {}", t.tid, what));
  if (log_ && !log_->is_stderr()) log_->warning(t.tid, name_of(rules::Sys::ptrace), what);
}

void OwnTraps::on_exit(Tracee& t, const ExitStop& stop) {
  if (stop.plan.altstack_pending && stop.have_result && stop.result == 0) {
    t.altstack_lo = stop.plan.altstack_lo;
    t.altstack_hi = stop.plan.altstack_hi;
  }
}

void OwnTraps::keep_clone_traced(Tracee& t, const SyscallEntry& e) {
  // clone(flags, ...): clear CLONE_UNTRACED in the register, put it back at the exit stop.
  if (!(e.raw_args[0] & clone_untraced)) return;
  std::string_view name = name_of(rules::Sys::clone);
  if (patcher_.set_arg(t, e, name, 0, e.raw_args[0] & ~clone_untraced) != 0) return;  // ESRCH
  if (log_) log_->warning(t.tid, name, "cleared CLONE_UNTRACED so that the child is traced too");
}

void OwnTraps::keep_clone3_traced(Tracee& t, const SyscallEntry& e) {
  // clone3(struct clone_args* args, size_t size): flags is the struct's first u64. The
  // program's struct is left alone; a patched copy goes to scratch instead.
  std::size_t size = e.args[1];
  char* copy = clone_args_.data();
  if (size < 8 || size > clone_args_.size() ||
      !read_bytes(t.tid, RemotePtr{e.args[0]}, std::span(copy, size)))
    return;  // the kernel answers EINVAL/EFAULT itself
  std::uint64_t flags;
  std::memcpy(&flags, copy, sizeof flags);
  if (!(flags & clone_untraced)) return;
  flags &= ~clone_untraced;
  std::memcpy(copy, &flags, sizeof flags);
  std::string_view name = name_of(rules::Sys::clone3);
  const std::uint8_t arg0[] = {0};
  const std::span<const char> bytes[] = {std::span<const char>(copy, size)};
  PatchOutcome out = patcher_.point_args_at(t, e, name, arg0, bytes);
  if (out.error == ESRCH || out.restarted) return;
  if (log_)
    log_->warning(t.tid, name,
                  out.error == 0
                      ? std::string("cleared CLONE_UNTRACED so that the child is traced too")
                      : fmt::format("cannot clear CLONE_UNTRACED: {}{}; the child will run "
                                    "untraced",
                                    std::strerror(out.error), out.why));
}

}  // namespace redirect::engine
