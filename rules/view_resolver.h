// One argument's path in the program's view (program_view.h) and, once the Matcher decided on
// it, what the kernel is handed: the step a run and `explain` share, so that what explain says
// about a path with "..", a link inside a bundle or a working directory inside a replacement
// is what a run does. Only the file system differs: a run looks names up through the tracee's
// root (engine/tracee_fs.h), explain on the host. Two calls per argument: resolve() when the
// path is named, finish() after the Matcher decided. It keeps, per argument, what the kernel
// would reach with the program's string, so a rewrite that lands there leaves the string alone.
#pragma once

#include <climits>

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "rules/dir_view_cache.h"
#include "rules/matcher.h"
#include "rules/prefix_map.h"
#include "rules/program_view.h"
#include "rules/sys.h"

namespace redirect::rules {

class ViewResolver {
 public:
  /// `rules`: every compiled rule (their prefix maps are read backwards for directories);
  /// `fs`: where components are looked up. Both must outlive the resolver.
  /// It keeps the last directories' views (dir_view_cache.h).
  ViewResolver(std::span<const CompiledRule> rules, HostFs& fs)
      : own_reverse_(rules),
        reverse_(own_reverse_),
        fs_(fs),
        dirs_(std::make_unique_for_overwrite<DirViewCache>()) {}
  /// The same over a ReverseIndex built once and shared (it must outlive the resolver), with
  /// the patterns matched in `state` (regex.h): a resolver made per call, allocation-free, as
  /// the in-process backend's signal handler makes one; it keeps nothing between calls.
  ViewResolver(const ReverseIndex& reverse, HostFs& fs, MatchState* state)
      : reverse_(reverse), fs_(fs), state_(state) {}
  ViewResolver(const ViewResolver&) = delete;
  ViewResolver& operator=(const ViewResolver&) = delete;

  /// Argument slot `k` of `call` (null: no rules name it, e.g. trace's other paths), register
  /// `arg` of kind `base`, passed as `passed`, relative to `dir` (empty when `passed` is
  /// absolute; else the directory as the kernel names it): its text in the program's view, in
  /// `buf` unless it is `passed` itself. A symlink's target or a string that names no file is
  /// returned as written. Nullopt when the joined text does not fit in PATH_MAX (left to the
  /// kernel, which answers ENAMETOOLONG for that directory and name).
  std::optional<std::string_view> resolve(const Matcher* m, const SyscallRules* call,
                                          unsigned arg, unsigned k, ArgBase base,
                                          std::string_view dir, std::string_view passed,
                                          std::span<char> buf);

  /// After the Matcher decided `d` on `view` (resolve()'s text) for slot `k`, register `arg`:
  /// what the kernel is handed: links inside a prefix rule's replacement followed in the
  /// program's view (follow_links(); the last component when `call_follows_last`, see
  /// last_link.h, or when the path ends in "/." or '/'), then finish_for_kernel(); or the call
  /// fails with the view's error (ELOOP, ENAMETOOLONG) when a rule is involved. Returns whether
  /// the program's own string already reaches the rewrite's result.
  bool finish(unsigned k, unsigned arg, bool call_follows_last, std::string_view view,
              Decision& d, std::span<char> out);

 private:
  // Directory `dir` (not empty) in the program's view for the rules `map` stands for: from
  // dirs_ when kept there, else read back and checked (and kept).
  DirView dir_view(std::string_view dir, const DirViewCache::Slot& slot, RuleMap& map);

  ReverseIndex own_reverse_;
  const ReverseIndex& reverse_;
  HostFs& fs_;
  MatchState* state_ = nullptr;
  std::unique_ptr<DirViewCache> dirs_;  // null: every directory is read back afresh
  // The call being decided, for the rules' map in finish().
  const Matcher* matcher_ = nullptr;
  const SyscallRules* call_ = nullptr;
  std::array<ViewPath, kSyscallArgs> views_{};
  // The argument names a file the kernel walks (a symlink's target it does not walk).
  std::array<bool, kSyscallArgs> walked_{};
  std::array<std::string_view, kSyscallArgs> reach_{};
  // Left uninitialised on purpose, as the Rewriter's buffers (engine/rewriter.h).
  std::array<std::array<char, PATH_MAX>, kSyscallArgs> reach_buf_;
  std::array<char, PATH_MAX> view_dir_;
  std::array<char, PATH_MAX> map_buf_;
};

}  // namespace redirect::rules
