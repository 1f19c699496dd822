// ViewResolver (see view_resolver.h). An absolute path without "//", "/./", "/." or ".." costs
// one scan; a relative one a copy of its directory and a scan of itself (where the kernel
// goes, which is also where the program's view starts when no rule reads the directory back),
// the directory's view being kept (dir_view_cache.h).
// Without a cache, the directory is also scanned and, when some rule is a prefix map,
// searched for in the reverse index (a binary search per '/').
#include "rules/view_resolver.h"

#include <cerrno>
#include <cstring>

#include "rules/path_resolve.h"
#include "rules/path_text.h"

namespace redirect::rules {
namespace {

// The rules of one (syscall, argument) slot, as a map of program-view paths to host paths.
class SlotMap final : public RuleMap {
 public:
  SlotMap(const Matcher* m, const SyscallRules* call, unsigned arg, MatchState* state)
      : m_(m), call_(call), arg_(arg), state_(state) {}
  std::string_view map(std::string_view view, std::span<char> out,
                       const CompiledRule*& by) override {
    if (m_ == nullptr || call_ == nullptr) return view;
    Decision d = m_->decide(*call_, arg_, PathArg{view, view}, out, state_);
    if (d.action != Action::rewrite) return view;
    by = d.rule;
    return d.replacement;
  }

 private:
  const Matcher* m_;
  const SyscallRules* call_;
  unsigned arg_;
  MatchState* state_;
};

}  // namespace

std::optional<std::string_view> ViewResolver::resolve(const Matcher* m,
                                                      const SyscallRules* call, unsigned arg,
                                                      unsigned k, ArgBase base,
                                                      std::string_view dir,
                                                      std::string_view passed,
                                                      std::span<char> buf) {
  ViewPath& v = views_[k];
  v = {};
  reach_[k] = passed;
  matcher_ = m;
  call_ = call;
  walked_[k] = is_path(base);
  if (!walked_[k]) return passed;  // a symlink's target, an xattr name: as written
  if (dir.empty() && !needs_view(passed)) {
    v.length = passed.size();
    v.trailing_slash = passed.size() > 1 && passed.back() == '/';
    return passed;
  }
  SlotMap map(m, call, arg, state_);
  const DirView d = dir.empty() ? DirView{}
                                : dir_view(dir, {m, call ? *call : SyscallRules{}, arg}, map);
  // Where the kernel goes with the program's string: the directory as named, joined.
  auto n = d.name_clean ? join_to_clean_dir(dir, passed, reach_buf_[k])
                        : join_path(dir, passed, reach_buf_[k]);
  if (!n) return std::nullopt;
  reach_[k] = std::string_view(reach_buf_[k].data(), *n);
  if (d.by == nullptr && *n < buf.size()) {
    // Not read back: the view starts from the same join.
    std::memcpy(buf.data(), reach_[k].data(), *n + 1);
    v = view_of_joined(*n, passed, d.by, map, fs_, buf, d.view_clean);
  } else {
    v = program_view(d.view, passed, d.by, map, fs_, buf, d.view_clean);
  }
  if (v.error != 0) return reach_[k];  // finish() fails the call if a rule is involved
  return std::string_view(buf.data(), v.length);
}

DirView ViewResolver::dir_view(std::string_view dir, const DirViewCache::Slot& slot,
                               RuleMap& map) {
  if (dirs_)
    if (const DirView* kept = dirs_->find(dir, slot)) return *kept;
  DirView d{dir, nullptr, is_clean_dir(dir), false};
  bool per_slot = false;
  if (!reverse_.empty()) {
    // A directory inside a prefix rule's replacement is PREFIX/... to the program, if the
    // rules send that back to the same directory.
    auto back = reverse_.to_view(dir, view_dir_, [&](std::string_view view) {
      per_slot = true;
      const CompiledRule* by = nullptr;
      if (map.map(view, map_buf_, by) != dir) return false;
      d.by = by;
      return true;
    });
    if (back) d.view = std::string_view(view_dir_.data(), *back);
  }
  d.view_clean = d.view.data() == dir.data() ? d.name_clean : is_clean_dir(d.view);
  return dirs_ ? dirs_->store(dir, slot, per_slot, d) : d;
}

bool ViewResolver::finish(unsigned k, unsigned arg, bool call_follows_last,
                          std::string_view view, Decision& d, std::span<char> out) {
  const ViewPath& v = views_[k];
  int error = v.error;
  if (error == 0 && walked_[k] && d.action == Action::rewrite && d.rule->prefix_map) {
    // A link the kernel would follow inside the replacement tree: followed here, in the
    // program's view. A trailing "/." or '/' makes the kernel follow a last link too.
    const bool follow_last =
        v.last != ViewPath::Last::name || v.trailing_slash || call_follows_last;
    SlotMap map(matcher_, call_, arg, state_);
    LinkWalk w = follow_links(*d.rule, follow_last, map, fs_, out, d.replacement.size());
    error = w.error;
    if (error == 0) d.replacement = std::string_view(out.data(), w.length);
  }
  if (error != 0) {
    const CompiledRule* rule = d.rule ? d.rule : v.mapped_by;
    if (rule == nullptr) return false;  // no rule involved: the kernel answers as natively
    d = Decision{Action::unwritable, rule, error, {}};
    return false;
  }
  return finish_for_kernel(v, view, reach_[k], d, out);
}

}  // namespace redirect::rules
