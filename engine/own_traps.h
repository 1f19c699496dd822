// The syscalls the engine traps for its own sake, not because a rule names them, in one place:
// their list (added to every filter), their numbers per ABI (resolved once, at start), and
// what the tracer does at their stops. Each costs one stop per call, and all are rare next to
// file syscalls:
//   sigaltstack      scratch strings must never go below a thread's alternate signal stack;
//   clone, clone3    CLONE_UNTRACED would start a child we never see, running under our
//                    filter with nobody to answer its stops: the flag is cleared, the child
//                    stays traced;
//   io_uring_setup   files opened through a ring never enter openat: warned about, once
//                    per process;
//   ptrace           PTRACE_TRACEME, PTRACE_ATTACH, PTRACE_SEIZE: a debugger or tracer under
//                    redirect; a process has one tracer, so the kernel answers EPERM: said once,
//                    with what to do instead;
//   seccomp, prctl(PR_SET_SECCOMP)   the program installs a seccomp filter of its own: from
//                    then on a seccomp stop may be that filter's, and the tracer checks whose
//                    each is (PTRACE_GETEVENTMSG; until then that ptrace call is saved); and
//                    the scratch mapping is made first, while no filter of the program's can
//                    forbid (or kill for) the calls injected to make it; and rewrites take
//                    two stops from then on (one_stop.h: the filter would see the stub);
//   chroot, pivot_root, setns   after one of these a tracee's root may not be ours, so the
//                    names /proc gives for its directories must be checked before use.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/arch/native.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/regs.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"

namespace redirect::engine {

/// CLONE_UNTRACED (linux/sched.h, the same on every arch): a child made with it is not
/// auto-attached, so it would run untraced (and under our seccomp filter, its trapped syscalls
/// would fail with ENOSYS). The tracer clears it at clone/clone3 entry.
inline constexpr std::uint64_t clone_untraced = 0x00800000;
/// PR_SET_SECCOMP (linux/prctl.h): prctl is trapped only with this option.
inline constexpr std::uint32_t pr_set_seccomp = 22;

class OwnTraps {
 public:
  /// `patcher`, `scratch`, `log` (may be null) and `notices` must outlive it.
  OwnTraps(SyscallPatcher& patcher, ScratchAreas& scratch, DecisionLog* log, Notices& notices);

  /// The native numbers of the engine's own traps on the ABI `audit_arch`, ascending; clone is
  /// not among them: the filter traps it only when its flags hold CLONE_UNTRACED.
  [[nodiscard]] static std::vector<int> numbers(std::uint32_t audit_arch);

  /// At the entry of `e`: handles it if it is one of ours (true), else false. When the rules
  /// already patched the call (its registers wait to be restored), only what watches without
  /// patching runs (chroot's note): a call has one set of saved registers. A rule that decided
  /// the call without changing it (an `allow`) is no reason to skip: clearing CLONE_UNTRACED
  /// must not depend on what the rules said.
  bool on_entry(Tracee& t, const SyscallEntry& e);

  /// At the exit stop of a call whose entry asked for it.
  void on_exit(Tracee& t, const ExitStop& stop);

  /// Some tracee has called chroot, pivot_root or setns: roots may differ from ours.
  [[nodiscard]] bool roots_may_differ() const { return roots_may_differ_; }
  /// A seccomp stop may come from a filter that is not redirect's: a tracee installed one, or
  /// redirect itself runs under one (`set_foreign_filters_possible`).
  [[nodiscard]] bool foreign_filters_possible() const { return foreign_filters_; }
  void set_foreign_filters_possible() { foreign_filters_ = true; }

 private:
  enum Trap : std::uint8_t { sigaltstack, clone, clone3, io_uring_setup, chroot, pivot_root,
                             setns, ptrace, seccomp, prctl, trap_count };
  using Numbers = std::array<long, trap_count>;  // -1: not on this ABI
  static Numbers numbers_of(std::uint32_t audit_arch);

  void note_sigaltstack(Tracee& t, const SyscallEntry& e);
  void keep_clone_traced(Tracee& t, const SyscallEntry& e);
  void keep_clone3_traced(Tracee& t, const SyscallEntry& e);
  void warn_io_uring(const Tracee& t);
  void warn_nested_tracer(const Tracee& t, const SyscallEntry& e);

  SyscallPatcher& patcher_;
  ScratchAreas& scratch_;
  DecisionLog* log_;
  Notices& notices_;
  std::vector<pid_t> io_uring_warned_;  // processes (tgids) told about io_uring already
  bool nested_tracer_warned_ = false;
  std::array<Numbers, std::size(arch::native::personalities)> by_abi_;
  bool roots_may_differ_ = false;
  bool foreign_filters_ = false;
  std::array<char, 512> clone_args_;  // a copy of clone3's struct, patched
};

}  // namespace redirect::engine
