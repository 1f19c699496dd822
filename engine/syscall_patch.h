// The mechanism that changes a syscall at its entry stop and puts everything back at its exit
// stop, kept apart from the policy that decides what to change (PRoot keeps set_sysarg_data
// and its ORIGINAL/MODIFIED registers apart from path translation the same way). The surprise
// that shapes it: the restore is what keeps a change invisible, because the x86_64 ABI
// preserves argument registers across a syscall (code with inline `syscall` relies on it) and
// a syscall interrupted by a signal is restarted from those same registers after the handler
// ran; so every change asks for the exit stop (PTRACE_SYSCALL), and nothing else does.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/log.h"
#include "engine/regs.h"
#include "engine/exit_plan.h"
#include "engine/scratch_area.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"

namespace redirect::engine {

/// Why new strings could not be put in place: 0 when they were, ESRCH when the tracee died,
/// else the errno, with `why` adding a reason for the user ("" when none). `restarted`: nothing
/// was changed because scratch memory was being made (an injected syscall, see
/// scratch_area.h): the tracee's call runs again and stops at its entry anew, where the same
/// decision is taken again; nothing about this stop should be logged or counted.
struct PatchOutcome {
  int error = 0;
  std::string_view why;
  bool restarted = false;
};

/// One more argument register set for the call (a socket address's new length).
struct RegValue {
  std::uint8_t arg = 0;
  std::uint64_t value = 0;
};

/// Piece `piece` of point_args_at() is data followed by a struct that points at that data
/// (sendmsg: the new sockaddr, then the msghdr copy whose msg_name points at it): its register
/// gets the piece's address + `reg_offset`, and the piece's own address is stored at byte
/// `self_pointer_at` (a tracee pointer) before the piece is written.
struct PieceLink {
  std::uint8_t piece = 0;
  std::uint16_t reg_offset = 0;
  std::uint16_t self_pointer_at = 0;
};

class SyscallPatcher {
 public:
  /// `io`, `scratch` and `stats` must outlive it. `read_results`: read every watched call's
  /// result at its exit stop (one more ptrace call per change), for the log; else only where
  /// asked.
  SyscallPatcher(TraceeIo& io, ScratchAreas& scratch, Stats& stats, bool read_results)
      : io_(io), scratch_(scratch), stats_(stats), read_results_(read_results) {}

  /// Writes `bytes[i]` into scratch memory of `t` (a slot of redirect's mapping, held until
  /// the exit stop; the stack within stack_fallback_bound where there is no mapping: ENOMEM
  /// when they do not fit there) and points argument register `args[i]` at it; the exit stop
  /// puts the registers back. May restart the call instead (see PatchOutcome). Throws
  /// fmt::system_error (pid and syscall named) when a ptrace call fails for a reason other
  /// than the tracee's death.
  /// `also`: registers set to plain values as well (restored the same way); `link`: at most
  /// one piece of at most 256 bytes that points into itself (see PieceLink).
  /// `may_skip_exit`: the caller needs nothing at the exit stop (a rule's rewrite at a seccomp
  /// stop), so where one-stop rewrites are on and the slot has a return stub, the stub puts
  /// the registers back instead (one_stop.h): no exit stop is planned, and the slot stays
  /// held by the thread until the tracer knows the stub is done (its next syscall or signal
  /// stop). Never for a call that starts a task (the child would run the stub).
  [[nodiscard]] PatchOutcome point_args_at(Tracee& t, const SyscallEntry& e,
                                           std::string_view name,
                                           std::span<const std::uint8_t> args,
                                           std::span<const std::span<const char>> bytes,
                                           std::span<const RegValue> also = {},
                                           std::span<const PieceLink> link = {},
                                           bool may_skip_exit = false);

  /// Whether rewrites may take one stop (set by the tracer: not with a log or trace, which
  /// read every result at the exit stop). Turned off for good once a program installs a
  /// seccomp filter of its own (own_traps.h), which would see the stub's address.
  void set_one_stop(bool on) { one_stop_ = on; }
  [[nodiscard]] bool one_stop() const { return one_stop_; }

  /// Sets argument register `arg` to `value` until the exit stop. 0 or ESRCH; throws as above.
  [[nodiscard]] int set_arg(Tracee& t, const SyscallEntry& e, std::string_view name,
                            std::uint8_t arg, std::uint64_t value);

  /// Makes the syscall fail with `error` without running it. Throws as above.
  void fail(Tracee& t, const SyscallEntry& e, std::string_view name, int error,
            bool seccomp_stop);

  /// Asks for the exit stop of an unchanged syscall, to read its result there.
  void watch_exit(Tracee& t, const SyscallEntry& e, std::string_view name);

  /// The result of a syscall whose exit stop is awaited will be read there.
  static void want_result(Tracee& t) { t.exit_plan.want_result = true; }

  /// At the exit stop of a syscall whose entry called one of the above: restores the
  /// registers (and a denied call's result in ptrace mode) and reads the result. Throws as
  /// above.
  ExitStop on_exit(Tracee& t);

  /// After every policy has seen `stop`: writes the result one of them chose
  /// (ExitStop::replace_result), if any. Throws as above.
  void finish_exit(const Tracee& t, const ExitStop& stop);

  /// At a signal-delivery stop of `t`, whose call `held` was interrupted with a restart code:
  /// on an ABI whose result register is argument 0 (aarch64), puts the program's own argument
  /// 0 back. The exit stop could not (the register held the restart code), and the kernel,
  /// which by now has reloaded it for a restart, reloaded the rewritten pointer: on Debian's
  /// 6.1 arm64 kernel the tracer's write of x0 at entry reaches orig_x0 too (PTRACE_GET_
  /// SYSCALL_INFO shows it). Without this the handler's frame would show redirect's pointer
  /// and the restarted call would read a slot the handler's own calls reuse. Changes nothing
  /// for a call whose result stays (EINTR): the kernel sets it after this stop. Throws as above.
  void restore_result_arg(const Tracee& t, const ExitStop& held);

  /// At the entry stop of `held` run again by the kernel with no signal stop between (a
  /// signal without a handler, the freezer): the same, for the entry `e` read there, which
  /// shows the rewritten pointer the kernel reloaded. Nothing for another call. Throws as above.
  void restart_with_own_arg0(const Tracee& t, SyscallEntry& e, const ExitStop& held);

 private:
  // Writes the program's own argument 0 of `held` back into `t`'s registers.
  void write_arg0(const Tracee& t, const ExitStop& held, std::uint64_t own);
  void expect_restore(Tracee& t, const SyscallEntry& e, std::string_view name,
                      std::span<const std::uint8_t> args);
  TraceeIo& io_;
  ScratchAreas& scratch_;
  Stats& stats_;
  std::array<char, 256> linked_;  // the PieceLink piece with its own address filled in
  bool read_results_;
  bool one_stop_ = false;
};

}  // namespace redirect::engine
