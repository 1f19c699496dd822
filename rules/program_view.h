// The path a program means, in its own view: the one it would reach if the bundle were
// installed where it expects. Rules decide on that path, not on the literal string, wherever
// the two differ:
// - "..": the kernel walks ".." from the directory the previous component *is*, which for a
//   symbolic link is the link's target's parent. The component before ".." is therefore looked
//   up (lstat) at the place the rules send it, because that is where the program's directory
//   lives: "/etc/app/.." is "/etc" when /etc/app is a directory of the bundle, and a rewrite can
//   never carry ".." above its replacement's root. A link is followed as the kernel would: an
//   absolute target is a path in the program's view and goes through the rules again, a
//   relative one is read from the link's directory; ELOOP after 40 links. A component that is
//   missing or no directory stops the walk there: the rest is kept as written, so the kernel
//   fails at that same component, as natively.
// - the working directory or dirfd: when the kernel names it inside a prefix rule's replacement
//   (prefix_map.h), it is read back to the rule's PREFIX first, so `cd ~/.app && touch b`
//   decides like `touch ~/.app/b`.
// - the last component: "d/." and "." mean "this directory, and it is not a name" (rmdir says
//   EINVAL, rename EBUSY, mkdir ENOENT, stat ENOTDIR on a file), and a trailing '/' means "must
//   be a directory". Matching uses the collapsed form; the path handed to the kernel keeps them.
// Pure: the file system and the rules are interfaces (a run: through /proc/TID/root; explain:
// the real file system; tests: fakes). Only paths with ".." or a mapped directory pay for more
// than the join.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace redirect::rules {

struct CompiledRule;
struct Decision;

/// The most symbolic links the kernel follows in one walk (MAXSYMLINKS) before ELOOP.
inline constexpr int kMaxSymlinks = 40;

/// What a host path names, as lstat sees it.
enum class NodeKind : std::uint8_t { missing, directory, symlink, other };

/// The file system as the traced program's root shows it.
class HostFs {
 public:
  virtual ~HostFs() = default;
  /// What absolute, NUL-terminated `host_path` names, without following a last symlink.
  virtual NodeKind lstat(const char* host_path) = 0;
  /// The target of symlink `host_path` in `out` (no NUL); nullopt when it cannot be read or
  /// does not fit.
  virtual std::optional<std::size_t> readlink(const char* host_path, std::span<char> out) = 0;
  /// A quick check: walking `host_path` follows no symbolic link at all, its last component
  /// included. False when unsure (then the components are looked up one by one).
  virtual bool walks_without_links(const char* host_path) = 0;
};

/// Where the rules of the argument being decided send a path of the program's view.
class RuleMap {
 public:
  virtual ~RuleMap() = default;
  /// A rewrite's result in `out` (NUL after it) and the rule in `by`; else `view` itself and
  /// `by` untouched.
  virtual std::string_view map(std::string_view view, std::span<char> out,
                               const CompiledRule*& by) = 0;
};

/// A path argument in the program's view.
struct ViewPath {
  /// What the last component is: a name, "." or ".." (trailing slashes skipped).
  enum class Last : std::uint8_t { name, dot, dotdot };
  std::size_t length = 0;  ///< of the view text, in the caller's buffer (NUL after it)
  Last last = Last::name;
  bool trailing_slash = false;  ///< the view text ends with '/' ("must be a directory")
  /// A rule took part in naming the path (a directory read backwards, a ".." looked up or a
  /// link read where a rule sends it): the kernel, given the program's string, would reach
  /// another place, so the view (or its rewrite) must be handed over even when no rule matches.
  const CompiledRule* mapped_by = nullptr;
  int error = 0;  ///< ELOOP or ENAMETOOLONG: the call fails with it, as natively
};

/// Whether absolute `passed` needs program_view() at all: it has "//", "/./", a trailing "/."
/// or a ".." component. False for the common case, which then costs one scan.
[[nodiscard]] bool needs_view(std::string_view passed);

/// `passed` in the program's view (see above), into `out` with a NUL: joined to `dir` (the
/// program's view of its directory, absolute; ignored when `passed` is absolute), collapsed,
/// ".." resolved. `mapped_by` starts as `dir_mapped_by` (the rule that read `dir` backwards).
/// `dir_clean`: the caller knows `dir` is_clean_dir() (path_text.h), so only `passed` is
/// scanned; the result is the same.
[[nodiscard]] ViewPath program_view(std::string_view dir, std::string_view passed,
                                    const CompiledRule* dir_mapped_by, RuleMap& rules,
                                    HostFs& fs, std::span<char> out, bool dir_clean = false);

/// program_view() after its join: `out` already holds join_path(dir, passed) (`joined` bytes
/// and a NUL), as where the kernel goes with a directory no rule reads back. The same result.
[[nodiscard]] ViewPath view_of_joined(std::size_t joined, std::string_view passed,
                                      const CompiledRule* dir_mapped_by, RuleMap& rules,
                                      HostFs& fs, std::span<char> out, bool dir_clean);

/// After prefix rule `rule` rewrote a path to the host path in `out` (`length` bytes, NUL after
/// them): where the kernel would follow a symbolic link below the rule's replacement root (an
/// intermediate component, or the last one when `follow_last`), the walk is done here instead.
/// An absolute target is a path in the program's view; a relative one is read from the link's
/// directory, in the program's view too; either goes through the rules again (`rules`), and a
/// result inside another prefix rule's replacement is walked the same way. ELOOP after
/// kMaxSymlinks links. Returns the new length in `out`, or an errno. Only a rewrite whose
/// replacement tree holds a link pays more than `fs.walks_without_links()`.
struct LinkWalk {
  std::size_t length = 0;
  int error = 0;
};
[[nodiscard]] LinkWalk follow_links(const CompiledRule& rule, bool follow_last, RuleMap& rules,
                                    HostFs& fs, std::span<char> out, std::size_t length);

/// After the Matcher decided on the view text `view`: what the kernel is handed, in `d`. A
/// path that rules took part in naming but no rewrite matched becomes a rewrite to the view
/// (an allow rule included: it means "the host's own file", which the program's string no
/// longer reaches); the last component's "/." or trailing '/' is put back. `out` holds the
/// rewrite (d.replacement) and is written in place. Returns whether the program's own string
/// already reaches the result (`reach`: where the kernel would go with it, collapsed), in
/// which case it is kept (see rewriter.h).
[[nodiscard]] bool finish_for_kernel(const ViewPath& v, std::string_view view,
                                     std::string_view reach, Decision& d, std::span<char> out);

}  // namespace redirect::rules
