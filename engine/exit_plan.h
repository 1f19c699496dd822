// What the exit stop of one syscall must do, arranged at its entry: the mirror of the entry
// stage (entry_decision.h), as PRoot's translate_syscall_exit mirrors its enter. Two parts:
// what the SyscallPatcher puts back (the argument registers an entry pointed at scratch
// memory, a denied call's result in ptrace mode), and what each policy wants to do with the
// result once it is known (the rewriter counts a failed rewrite against its rules, the
// engine's own traps learn whether a sigaltstack() took effect, trace reads it; a policy may
// also replace it, ExitStop::replace_result). The surprise: an exit stop costs a stop, so it is
// asked for only when a plan exists; nothing else ever resumes a tracee with PTRACE_SYSCALL in
// seccomp mode.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/arch/arch.h"
#include "rules/sys.h"

namespace redirect::engine {

struct ExitPlan {
  // --- What the patcher restores.
  const arch::Personality* personality = nullptr;  ///< null: no exit stop is planned
  std::uint8_t count = 0;                          ///< saved arguments
  std::array<std::uint8_t, rules::kSyscallArgs> arg{};     ///< their register positions
  std::array<std::uint64_t, rules::kSyscallArgs> value{};  ///< the tracee's own values
  int deny_errno = 0;  ///< ptrace mode: set the result to -deny_errno again at exit
  std::string_view syscall;  ///< its name (static text), for messages
  long nr = -1;              ///< its number, as the ABI numbers it

  // --- What the policies want with the result.
  bool want_result = false;  ///< read the result at the exit stop
  /// The rules whose rewrites this call carries (CompiledRule::id), for --stats' failures.
  std::uint8_t rule_count = 0;
  std::array<std::uint32_t, rules::kSyscallArgs> rule_ids{};
  /// A sigaltstack() call asked for this alternate stack; it is in force only if the call
  /// returns 0 (it fails with ENOMEM, EPERM or EFAULT and keeps the old one).
  bool altstack_pending = false;
  std::uint64_t altstack_lo = 0, altstack_hi = 0;
  /// A getcwd whose answer is read back to the program's view (getcwd_view.h): its buffer
  /// (0: none) and size.
  std::uint64_t getcwd_buf = 0, getcwd_size = 0;
  /// No exit stop was planned: the call returned through its stub and this describes it after
  /// the fact (stub_results.h), so taking back its counts takes back a one-stop rewrite.
  bool by_stub = false;

  /// An exit stop is planned (the tracer resumes with PTRACE_SYSCALL).
  [[nodiscard]] bool planned() const { return personality != nullptr; }
  /// Registers changed at entry wait to be put back: a call has one set of saved registers,
  /// so nothing else may patch it.
  [[nodiscard]] bool restores_registers() const { return count != 0 || deny_errno != 0; }
  /// The program's own argument 0, when the entry changed it on an ABI whose result register
  /// is argument 0 (aarch64): the exit stop cannot put it back, so a restart needs it later.
  [[nodiscard]] std::optional<std::uint64_t> unrestored_arg0() const {
    if (!personality || !personality->result_is_arg0) return std::nullopt;
    for (unsigned i = 0; i < count; ++i)
      if (arg[i] == 0) return value[i];
    return std::nullopt;
  }
};

/// What the exit stop of a planned call found, handed to each policy in turn.
struct ExitStop {
  bool watched = false;      ///< an entry planned this exit stop
  bool have_result = false;  ///< `result` was read
  long result = 0;           ///< the kernel's return value (-errno on failure)
  std::string_view syscall;  ///< the syscall's name
  ExitPlan plan;             ///< what the entry arranged
  /// A policy's new result for the program (set by replace_result()); the tracer has the
  /// patcher write it once every policy has seen the stop.
  std::optional<long> new_result;

  /// The program sees `value` instead of the kernel's result. Only with a result read.
  void replace_result(long value) { new_result = value; }
};

}  // namespace redirect::engine
