// The compiled rule table for one architecture: everything the engine consults at a syscall
// entry stop. Syscall names and classes were turned into that arch's native numbers once, when
// the rules loaded, so a stop costs one array index plus the regex matches of the rules that
// name that (syscall, argument) pair and could match the string (rule_index.h: a rule whose
// pattern starts with a literal prefix is tried only on strings that start with it), in file
// order. decide() allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/diagnostic.h"
#include "rules/prefix_map.h"
#include "rules/replacement.h"
#include "rules/rule.h"
#include "rules/compiled_rules.h"

namespace redirect::rules {

/// What the rules say about one string (or a whole call): the verdict and who gave it.
struct Decision {
  Action action = Action::none;
  const CompiledRule* rule = nullptr;  // who decided; null when no rule matched
  /// deny and unwritable: the errno the syscall fails with (a deny rule's errno;
  /// ENAMETOOLONG for a rewrite that does not fit, EINVAL for one that would hold a NUL).
  int error = 0;
  std::string_view replacement;  // rewrite: the new string, in the caller's buffer (NUL follows)
  /// The rule's pattern gave up on the string before deciding (a PCRE2 limit:
  /// rule->match_error_message() says which). The call fails closed, whatever the rule's
  /// action: action is deny, and error the rule's errno for a deny rule, else EACCES.
  bool match_error = false;

  /// A rewrite whose result cannot be passed: it becomes `unwritable` with `err`. The
  /// replacement stays for messages when there is one (a socket path too long for sun_path).
  void make_unwritable(int err) {
    action = Action::unwritable;
    error = err;
  }
};

/// The errno of a call failed because a rewrite or allow rule's pattern gave up on its path:
/// EACCES, the answer a program already expects for a path it may not use, and the one a
/// deny rule gives by default (ENAMETOOLONG would send it looking for a shorter path).
inline constexpr int kMatchErrorErrno = 13;  // EACCES

/// A string argument at a stop: as the program passed it and, when some rule wants it, as the
/// absolute path the kernel will reach (see path_text.h).
struct PathArg {
  std::string_view passed;
  /// The absolute path; the same text as `passed` for an absolute argument that needs no
  /// collapsing; nullopt when it could not be named (rules of `paths = "resolved"` files then
  /// do not apply to this argument).
  std::optional<std::string_view> resolved;
};

/// Where a relative path argument of one syscall is relative to, in native registers.
struct ArgBase {
  /// sockaddr: the argument is a `struct sockaddr` (its length in register dirfd_reg), msghdr:
  /// a `struct msghdr` whose msg_name is one; an AF_UNIX path in either is relative to the cwd.
  enum class Kind : std::uint8_t { cwd, dirfd, link, not_a_path, sockaddr, msghdr };
  Kind kind = Kind::cwd;
  std::uint8_t dirfd_reg = 0;  ///< Kind::dirfd: the register holding the directory fd;
                               ///< Kind::sockaddr: the one holding the address's length
};

/// sizeof sockaddr_un::sun_path, the same on every Linux ABI: a rewritten socket path longer
/// than this cannot be passed at all.
inline constexpr std::size_t sun_path_max = 108;

class Matcher;

/// What the rules say about one native syscall number, looked up once per stop; empty (false)
/// when no rule names it. Valid as long as its Matcher.
class SyscallRules {
 public:
  explicit operator bool() const { return entry_ != nullptr; }
  /// The argument registers (ascending) whose strings some rule wants; empty for a number no
  /// rule names (out of range and negative ones included).
  [[nodiscard]] std::span<const std::uint8_t> args() const;
  /// Rules apply to the call as a whole (decide_call() before any argument is read).
  [[nodiscard]] bool has_call_rules() const;
  /// Some rule of argument register `arg` matches resolved paths.
  [[nodiscard]] bool wants_resolved(unsigned arg) const;
  /// What argument register `arg` is relative to.
  [[nodiscard]] ArgBase base(unsigned arg) const;
  /// The syscall's name ("openat").
  [[nodiscard]] std::string_view name() const;
  /// The same rules of the same Matcher.
  friend bool operator==(const SyscallRules&, const SyscallRules&) = default;

 private:
  friend class Matcher;
  const void* entry_ = nullptr;
};

class Matcher {
 public:
  struct Table;  ///< opaque: the compiled lookup table (matcher.cpp)

  /// Compiles `files` for the architecture whose AUDIT_ARCH_* value is `audit_arch`. Reports
  /// unknown syscalls or classes, bad argument indexes, invalid patterns and replacements into
  /// `diags` (with file, line, column) and returns nullopt if any error was found. Syscalls that
  /// exist on other architectures but not this one are skipped: one rule file serves every arch.
  [[nodiscard]] static std::optional<Matcher> compile(std::span<const RuleFile> files,
                                                      std::uint32_t audit_arch,
                                                      Diagnostics& diags);

  /// The same for several architectures at once (a run: x86_64 and i386), one Matcher each, in
  /// the order of `audit_arches`. Patterns are compiled once and shared by all of them, so the
  /// Matchers must be used from one thread. Empty if any error was found.
  [[nodiscard]] static std::vector<Matcher> compile(std::span<const RuleFile> files,
                                                    std::span<const std::uint32_t> audit_arches,
                                                    Diagnostics& diags);

  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  [[nodiscard]] std::uint32_t audit_arch() const { return audit_arch_; }

  /// The rules of native syscall `nr`: one lookup, then decide() against it.
  [[nodiscard]] SyscallRules find(long nr) const;

  /// The first whole-call rule of `call` (deny/allow of a syscall without strings, such as
  /// io_uring_setup, consulted before any argument is read) whose pattern matches "".
  [[nodiscard]] Decision decide_call(const SyscallRules& call,
                                     MatchState* state = nullptr) const;

  /// First rule, in file order, of argument register `arg` of `call` that matches `value` (its
  /// resolved form for rules of resolved files, its passed form for the others), and what it
  /// says. A rewrite's new string goes into `out`; one that cannot be passed (too long for
  /// `out`, or for sun_path in a socket address, or holding a NUL) is Action::unwritable.
  /// `state`: where the patterns match (regex.h; null: each pattern's own state, which is
  /// what "used from one thread" above means); the in-process backend passes one per call.
  [[nodiscard]] Decision decide(const SyscallRules& call, unsigned arg, const PathArg& value,
                                std::span<char> out, MatchState* state = nullptr) const;




  /// Every native syscall number some rule names, ascending, no duplicates: the seccomp filter
  /// traps exactly these.
  [[nodiscard]] const std::vector<int>& traced_numbers() const { return traced_; }

  /// decide() for an absolute `value` (explain, tests): the same text passed and resolved.
  /// For a rewrite the new string is written into `out` (PATH_MAX bytes is the natural size).
  /// Kind::none when no rule decides.
  [[nodiscard]] Decision decide(long nr, unsigned arg, std::string_view value,
                                std::span<char> out) const;

  /// Every compiled rule, by id (for --stats and logs).
  [[nodiscard]] std::span<const CompiledRule> rules() const;

  /// Printable name of native number `nr` on this arch ("openat"; "syscall_unknown" for a
  /// number our syscall table does not have on this arch).
  [[nodiscard]] std::string_view syscall_name(long nr) const;

 private:
  Matcher() = default;
  static Matcher build(const std::shared_ptr<const RuleSet>& shared, std::uint32_t audit_arch);
  Decision decide_slot(const void* entry, unsigned slot, const PathArg& value,
                       std::span<char> out, MatchState* state) const;
  std::uint32_t audit_arch_ = 0;
  std::shared_ptr<const RuleSet> shared_;  // every ABI's Matcher shares one compilation
  std::vector<int> traced_;
  std::unique_ptr<Table> table_;
};

}  // namespace redirect::rules
