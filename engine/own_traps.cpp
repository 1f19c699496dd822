// OwnTraps (see own_traps.h).
#include "engine/own_traps.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

constexpr rules::Sys kTrapped[] = {rules::Sys::sigaltstack, rules::Sys::clone,
                                   rules::Sys::clone3,      rules::Sys::io_uring_setup,
                                   rules::Sys::chroot,      rules::Sys::pivot_root,
                                   rules::Sys::setns};

std::size_t abi_index(const SyscallEntry& e) {
  return static_cast<std::size_t>(e.personality - arch::native::personalities);
}

std::string_view name_of(rules::Sys s) { return rules::syscall_info(s).name; }

}  // namespace

OwnTraps::OwnTraps(SyscallPatcher& patcher, DecisionLog* log) : patcher_(patcher), log_(log) {
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
    if (n[i] >= 0 && i != clone) out.push_back(static_cast<int>(n[i]));
  std::ranges::sort(out);
  return out;
}

bool OwnTraps::on_entry(Tracee& t, const SyscallEntry& e, bool changed) {
  if (!e.personality) return false;
  const Numbers& n = by_abi_[abi_index(e)];
  auto at = std::ranges::find(n, e.nr);
  if (at == n.end()) return false;
  const auto trap = static_cast<Trap>(at - n.begin());
  if (changed && trap != chroot && trap != pivot_root && trap != setns) return true;
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
      if (log_)
        log_->warning(t.tid, name_of(rules::Sys::io_uring_setup),
                      "files this process opens through io_uring do not pass through the "
                      "syscalls the rules rewrite");
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
  patcher_.watch_exit(t, e, name_of(rules::Sys::sigaltstack));
  PendingRestore& pending = t.restore;
  pending.altstack_pending = true;
  if (!(flags & ss_disable)) pending.altstack_lo = sp, pending.altstack_hi = sp + len;
}

void OwnTraps::on_exit(Tracee& t, const ExitStop& stop) {
  if (stop.pending.altstack_pending && stop.have_result && stop.result == 0) {
    t.altstack_lo = stop.pending.altstack_lo;
    t.altstack_hi = stop.pending.altstack_hi;
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
