// The program's view of a path argument at a stop (rules/program_view.h), with what only a
// stop has: the directory as the kernel names it, the call's own rules to map components with,
// and the tracee's root to look them up in. The rewriter calls it twice per argument: resolve()
// when it names the path, finish() once the Matcher decided. It keeps, per argument, what the
// kernel would reach with the program's string, so a rewrite that lands there leaves the
// string alone.
#pragma once

#include <climits>

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "engine/regs.h"
#include "engine/tracee_fs.h"
#include "rules/matcher.h"
#include "rules/prefix_map.h"
#include "rules/program_view.h"
#include "rules/sys.h"

namespace redirect::engine {

class ViewStep {
 public:
  /// `rules`: every compiled rule (their prefix maps are read backwards for directories).
  explicit ViewStep(std::span<const rules::CompiledRule> rules) : reverse_(rules) {}

  /// Argument slot `k` of `call` (null: no rules, e.g. trace's other paths), register `arg`,
  /// passed as `passed`, relative to `dir` as the kernel named it (empty when `passed` is
  /// absolute): its text in the program's view, in `buf`; nullopt when the joined text does not
  /// fit in PATH_MAX (left to the kernel, as before).
  /// `own_root`: the thread's root is known to be redirect's (no chroot yet).
  std::optional<std::string_view> resolve(pid_t tid, bool own_root, const rules::Matcher* m, const rules::SyscallRules* call,
                           unsigned arg, unsigned k, std::string_view dir,
                           std::string_view passed, std::span<char> buf);

  /// After the Matcher decided `d` on `view` (resolve()'s text) for slot `k`, register `arg` of
  /// call `e`: what the kernel is handed: links inside a prefix rule's replacement followed in
  /// the program's view (rules::follow_links()), then rules::finish_for_kernel(); or the call
  /// fails with the view's error (ELOOP, ENAMETOOLONG) when a rule is involved. Returns whether
  /// the program's own string already reaches the rewrite's result.
  bool finish(unsigned k, const SyscallEntry& e, unsigned arg, std::string_view view,
              rules::Decision& d, std::span<char> out);

 private:
  rules::ReverseIndex reverse_;
  ProcRootFs fs_;
  // The call being decided, for the rules' map in finish().
  const rules::Matcher* matcher_ = nullptr;
  const rules::SyscallRules* call_ = nullptr;
  std::array<rules::ViewPath, rules::kSyscallArgs> views_{};
  std::array<std::string_view, rules::kSyscallArgs> reach_{};
  // Left uninitialised on purpose, as the Rewriter's buffers (rewriter.h).
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> reach_buf_;
  std::array<char, PATH_MAX> view_dir_;
  std::array<char, PATH_MAX> map_buf_;
};

}  // namespace redirect::engine
