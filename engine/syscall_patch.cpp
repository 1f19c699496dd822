// SyscallPatcher (see syscall_patch.h). Cost: one process_vm_writev for all new strings and one
// PTRACE_POKEUSER per changed register at entry, the same POKEUSERs and one result read at exit;
// the first rewrite in an address space first makes the scratch mapping (scratch_area.h).
#include "engine/syscall_patch.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "engine/check.h"
#include "engine/one_stop.h"
#include "engine/scratch.h"

namespace redirect::engine {
namespace {

[[noreturn]] void ptrace_failed(int err, pid_t tid, std::string_view syscall, const char* what) {
  throw fmt::system_error(err, "pid {}: {}: {}", tid, syscall, what);
}

}  // namespace

void SyscallPatcher::expect_restore(Tracee& t, const SyscallEntry& e, std::string_view name,
                                    std::span<const std::uint8_t> args) {
  REDIRECT_CHECK(!t.exit_planned(), t.tid);  // the previous call's exit stop was missed
  ExitPlan& saved = t.exit_plan;
  saved = ExitPlan{};
  for (std::size_t i = 0; i < args.size(); ++i) {
    saved.arg[i] = args[i];
    saved.value[i] = e.raw_args[args[i]];
  }
  saved.count = static_cast<std::uint8_t>(args.size());
  saved.syscall = name;
  saved.nr = e.nr;
  saved.personality = e.personality;
  // A restart code must be seen (and the call held) when argument 0 cannot be put back at
  // exit: the restart needs the program's own pointer again (restore_result_arg()).
  saved.want_result = read_results_ || saved.unrestored_arg0().has_value();
}

PatchOutcome SyscallPatcher::point_args_at(Tracee& t, const SyscallEntry& e,
                                           std::string_view name,
                                           std::span<const std::uint8_t> args,
                                           std::span<const std::span<const char>> bytes,
                                           std::span<const RegValue> also,
                                           std::span<const PieceLink> link, bool may_skip_exit) {
  const arch::Personality& p = *e.personality;
  REDIRECT_CHECK(link.size() <= 1 && args.size() + also.size() <= rules::kSyscallArgs, t.tid);
  std::array<std::size_t, rules::kSyscallArgs> size{};
  for (std::size_t i = 0; i < bytes.size(); ++i) size[i] = bytes[i].size();
  const std::span<const std::size_t> sizes(size.data(), bytes.size());
  ScratchGrant grant = scratch_.acquire(t, e);
  if (grant.kind == ScratchGrant::Kind::gone) return {ESRCH, {}};
  if (grant.kind == ScratchGrant::Kind::restarted) return {0, {}, true};
  std::optional<ScratchLayout> layout;
  if (grant.kind == ScratchGrant::Kind::slot) {
    layout = layout_in_slot(grant.at, scratch_string_capacity, sizes);
    REDIRECT_CHECK(layout.has_value(), t.tid);  // six PATH_MAX strings always fit a slot
  } else {
    if (e.sp_out_of_reach)
      return {ENOMEM, " (an i386 call from 64-bit code: its stack lies above 4 GiB, out of its "
                      "pointers' reach, and no scratch mapping below 4 GiB could be made)"};
    layout = layout_scratch(e.sp, p.red_zone, sizes);
    if (!layout || e.sp - layout->lowest.addr > stack_fallback_bound)
      return {ENOMEM, " (no scratch mapping here, and the stack fallback stays within 928 "
                      "bytes below the stack pointer)"};
    if (t.altstack_hi > t.altstack_lo && e.sp > t.altstack_lo && e.sp <= t.altstack_hi &&
        layout->lowest.addr < t.altstack_lo) {
      // On a sigaltstack, what lies below it is the program's data, not free stack.
      return {ENOSPC, " (not enough room on the alternate signal stack)"};
    }
  }
  std::array<RemoteWrite, rules::kSyscallArgs + 1> pieces;
  for (std::size_t i = 0; i < bytes.size(); ++i) pieces[i] = {layout->at[i], bytes[i]};
  std::size_t piece_count = bytes.size();
  // One stop: the stub's header goes with the strings, in the same write.
  const bool one_stop = may_skip_exit && one_stop_ && grant.kind == ScratchGrant::Kind::slot &&
                        grant.stub.addr != 0 && p.return_stub != nullptr;
  StubHeader header{};
  if (one_stop) {
    header = stub_header(e);
    pieces[piece_count++] = {RemotePtr{grant.at.addr + scratch_header_offset},
                             std::span(reinterpret_cast<const char*>(header.data()), sizeof header)};
  }
  std::array<std::uint64_t, rules::kSyscallArgs> reg_offset{};
  for (const PieceLink& l : link) {
    std::span<const char> piece = bytes[l.piece];
    REDIRECT_CHECK(piece.size() <= linked_.size() && l.self_pointer_at + p.pointer_size <= piece.size(), t.tid);
    std::copy(piece.begin(), piece.end(), linked_.begin());
    // A tracee pointer: the low pointer_size bytes of the address (little-endian arches).
    const std::uint64_t self = layout->at[l.piece].addr;
    std::memcpy(linked_.data() + l.self_pointer_at, &self, p.pointer_size);
    pieces[l.piece].bytes = std::span<const char>(linked_.data(), piece.size());
    reg_offset[l.piece] = l.reg_offset;
  }
  if (int err = io_.write(t.tid, std::span(pieces.data(), piece_count)); err != 0) {
    if (grant.kind == ScratchGrant::Kind::slot && (err == EFAULT || err == EIO)) {
      // Our mapping is gone (munmap by the program where mseal is missing): make a new one.
      scratch_.lost(t);
      return point_args_at(t, e, name, args, bytes, also, link, may_skip_exit);
    }
    ScratchAreas::release(t);
    return {err, {}};
  }

  RegPatch patch(p);
  std::array<std::uint8_t, rules::kSyscallArgs> saved{};
  for (std::size_t i = 0; i < args.size(); ++i) {
    patch.set_arg(args[i], layout->at[i].addr + reg_offset[i]);
    saved[i] = args[i];
  }
  for (std::size_t i = 0; i < also.size(); ++i) {
    patch.set_arg(also[i].arg, also[i].value);
    saved[args.size() + i] = also[i].arg;
  }
  if (one_stop) patch.set_ip(grant.stub.addr + p.return_stub->resume);
  if (int err = io_.apply(t.tid, patch); err != 0) {
    ScratchAreas::release(t);
    if (err == ESRCH) return {err, {}};
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (argument)");
  }
  if (one_stop) {
    // Nothing waits for an exit stop; the slot stays the thread's (its stub may still run).
    t.exit_plan = ExitPlan{};
    t.stub_call = {grant.stub.addr, {}, e.ip, grant.at.addr + scratch_header_offset};
    std::copy(header.begin(), header.begin() + 6, t.stub_call.args.begin());
    ++stats_.one_stop;
    return {};
  }
  expect_restore(t, e, name, std::span(saved.data(), args.size() + also.size()));
  return {};
}

int SyscallPatcher::set_arg(Tracee& t, const SyscallEntry& e, std::string_view name,
                            std::uint8_t arg, std::uint64_t value) {
  RegPatch patch(*e.personality);
  patch.set_arg(arg, value);
  if (int err = io_.apply(t.tid, patch); err != 0) {
    if (err == ESRCH) return err;
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (argument)");
  }
  const std::uint8_t args[] = {arg};
  expect_restore(t, e, name, args);
  return 0;
}

void SyscallPatcher::watch_exit(Tracee& t, const SyscallEntry& e, std::string_view name) {
  expect_restore(t, e, name, {});
  t.exit_plan.want_result = true;
}

void SyscallPatcher::fail(Tracee& t, const SyscallEntry& e, std::string_view name, int error,
                          bool seccomp_stop) {
  // At a seccomp stop the kernel skips a syscall whose number became -1 and returns whatever
  // the tracer left in the result register (seccomp(2), SECCOMP_RET_TRACE). At a PTRACE_SYSCALL
  // entry stop, x86_64 keeps it too, but other arches set -ENOSYS: set it again at exit.
  RegPatch patch(*e.personality);
  patch.set_nr(-1);
  patch.set_result(-error);
  if (int err = io_.apply(t.tid, patch); err != 0) {
    if (err == ESRCH) return;
    ptrace_failed(err, t.tid, name, "PTRACE_POKEUSER (cancel)");
  }
  ++stats_.denied;
  if (!seccomp_stop) {
    expect_restore(t, e, name, {});
    t.exit_plan.deny_errno = error;
  }
}

ExitStop SyscallPatcher::on_exit(Tracee& t) {
  ExitStop stop;
  ExitPlan saved = t.exit_plan;
  t.exit_plan = ExitPlan{};
  ScratchAreas::release(t);  // the kernel has read the strings: the slot is free again
  if (!saved.personality) return stop;
  stop.watched = true;
  stop.syscall = saved.syscall;
  const arch::Personality& p = *saved.personality;
  RegPatch patch(p);
  for (unsigned i = 0; i < saved.count; ++i)
    if (!(p.result_is_arg0 && saved.arg[i] == 0)) patch.set_arg(saved.arg[i], saved.value[i]);
  if (saved.deny_errno != 0) patch.set_result(-saved.deny_errno);
  int err = patch.empty() ? 0 : io_.apply(t.tid, patch);
  if (err == 0 && saved.want_result) {
    err = io_.read_result(t.tid, p, stop.result);
    stop.have_result = err == 0;
  }
  stop.plan = saved;
  if (err != 0 && err != ESRCH) ptrace_failed(err, t.tid, saved.syscall, "PTRACE_POKEUSER (restore)");
  return stop;
}

void SyscallPatcher::write_arg0(const Tracee& t, const ExitStop& held, std::uint64_t own) {
  RegPatch patch(*held.plan.personality);
  patch.set_arg(0, own);
  int err = io_.apply(t.tid, patch);
  if (err != 0 && err != ESRCH) ptrace_failed(err, t.tid, held.syscall, "PTRACE_SETREGSET (argument 0)");
}

void SyscallPatcher::restore_result_arg(const Tracee& t, const ExitStop& held) {
  if (const std::optional<std::uint64_t> own = held.plan.unrestored_arg0()) write_arg0(t, held, *own);
}

void SyscallPatcher::restart_with_own_arg0(const Tracee& t, SyscallEntry& e, const ExitStop& held) {
  const std::optional<std::uint64_t> own = held.plan.unrestored_arg0();
  if (!own || held.plan.nr != e.nr || e.raw_args[0] == *own) return;
  e.raw_args[0] = *own;
  e.args[0] = *own & arch::pointer_mask(*e.personality);
  write_arg0(t, held, *own);
}

void SyscallPatcher::finish_exit(const Tracee& t, const ExitStop& stop) {
  if (!stop.new_result || !stop.plan.personality) return;
  RegPatch patch(*stop.plan.personality);
  patch.set_result(*stop.new_result);
  int err = io_.apply(t.tid, patch);
  if (err != 0 && err != ESRCH) ptrace_failed(err, t.tid, stop.syscall, "PTRACE_POKEUSER (result)");
}

}  // namespace redirect::engine
