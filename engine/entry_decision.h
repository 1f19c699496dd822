// What the entry stage decided about one syscall, as a value: for each path argument the
// string as passed, the path it names for the kernel, the rules' decision and whether that
// changes anything; for the call, a whole-call rule's verdict, whether it fails without
// running, and what became of the patch. The stop reads like PRoot's translate_syscall_enter:
// the Rewriter fills this in (read, resolve, decide), the patch stage acts on it
// (entry_patch.h), and the log, --stats and trace receive it afterwards; they only look, they
// never steer the stop.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rules/matcher.h"
#include "rules/sys.h"

namespace redirect::engine {

/// One path argument at an entry stop.
struct ArgDecision {
  std::uint8_t arg = 0;  ///< argument register (openat's path is 1)
  rules::ArgBase base;
  /// As passed, and as the absolute path the kernel reaches when a rule (or trace) wants it.
  rules::PathArg value;
  /// Non-empty when the path's directory could not be named (deleted, a pipe, a chroot...):
  /// `value.resolved` is then empty, and rules of resolved files do not apply.
  std::string_view unnamed_why;
  rules::Decision decision;  ///< Action::none when no rule matched
  /// A rewrite that gives back the path it matched: the program's own string stays.
  bool same = false;
  /// A symlink's target, matched by a prefix rule, for a link made inside a prefix rule's
  /// replacement: stored as the program wrote it, since walks inside a replacement follow
  /// links in the program's view (rules/program_view.h) and readlink then shows the program
  /// what it wrote.
  bool target_kept = false;
  /// An AF_UNIX address (bind, connect, sendto, sendmsg), not a C string.
  bool socket = false;
  /// An openat2 confined to its dirfd (RESOLVE_BENEATH, RESOLVE_IN_ROOT) whose rewrite would
  /// leave the dirfd's tree: the rewrite was dropped and the call runs as the program made it.
  bool confined = false;

  /// The argument gets a new string.
  [[nodiscard]] bool changes() const {
    return decision.action == rules::Action::rewrite && !same && !target_kept;
  }
  /// The text the deciding rule matched: its resolved form for rules of resolved files.
  [[nodiscard]] std::optional<std::string_view> matched_resolved() const {
    return decision.rule && decision.rule->resolved ? value.resolved : std::nullopt;
  }
};

/// What became of the decision once the patch stage acted on it.
enum class Applied : std::uint8_t {
  nothing,     ///< nothing to change (no rule, allow, a rewrite to the same path), or a dry run
  patched,     ///< the arguments point at the new strings until the exit stop
  failed,      ///< the call fails with `fail_errno` without running
  restarted,   ///< scratch memory was being made: the call runs again and is decided anew
  gone,        ///< the tracee died
};

/// Everything the entry stage decided about one call.
struct EntryDecision {
  std::string_view syscall;  ///< its name (static text)
  /// A whole-call rule's verdict (a deny or allow of io_uring_setup...); Action::none if none.
  rules::Decision call;
  /// Every path argument read, in argument order: those the rules want and, in trace mode,
  /// every other path argument of the call (with Action::none).
  std::array<ArgDecision, rules::kSyscallArgs> args;
  std::uint8_t arg_count = 0;
  /// The call fails with this errno without running: a deny, a rewrite that cannot be passed,
  /// or new strings that could not be written (ENOMEM, EFAULT; `write_problem` says why).
  int fail_errno = 0;
  std::string_view write_problem;  ///< why the new strings could not be written, else empty
  int write_error = 0;             ///< the errno of that write
  Applied applied = Applied::nothing;

  [[nodiscard]] std::span<const ArgDecision> decided() const { return {args.data(), arg_count}; }
  [[nodiscard]] std::span<ArgDecision> decided() { return {args.data(), arg_count}; }
  /// Some rule had a say (an argument's decision or the call's), so there is something to log.
  [[nodiscard]] bool any_rule() const;
  /// The call still runs (it was not failed at entry).
  [[nodiscard]] bool runs() const { return applied != Applied::failed; }
};

inline bool EntryDecision::any_rule() const {
  if (call.action != rules::Action::none) return true;
  for (const ArgDecision& a : decided())
    if (a.decision.action != rules::Action::none) return true;
  return false;
}

}  // namespace redirect::engine
