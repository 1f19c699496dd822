// ViewStep (see view_step.h). An absolute path without "//", "/./", "/." or ".." costs one scan;
// a relative one the join it cost before, plus a binary search per '/' of its directory when
// some rule is a prefix map.
#include "engine/view_step.h"

#include <cerrno>

#include "rules/last_link.h"
#include "rules/path_text.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// The rules of one (syscall, argument) slot, as a map of program-view paths to host paths.
class SlotMap final : public rules::RuleMap {
 public:
  SlotMap(const rules::Matcher* m, const rules::SyscallRules* call, unsigned arg)
      : m_(m), call_(call), arg_(arg) {}
  std::string_view map(std::string_view view, std::span<char> out,
                       const rules::CompiledRule*& by) override {
    if (m_ == nullptr || call_ == nullptr) return view;
    rules::Decision d = m_->decide(*call_, arg_, rules::PathArg{view, view}, out);
    if (d.action != rules::Action::rewrite) return view;
    by = d.rule;
    return d.replacement;
  }

 private:
  const rules::Matcher* m_;
  const rules::SyscallRules* call_;
  unsigned arg_;
};

}  // namespace

std::optional<std::string_view> ViewStep::resolve(pid_t tid, bool own_root,
                                                  const rules::Matcher* m,
                                   const rules::SyscallRules* call, unsigned arg, unsigned k,
                                   std::string_view dir, std::string_view passed,
                                   std::span<char> buf) {
  rules::ViewPath& v = views_[k];
  v = {};
  matcher_ = m;
  call_ = call;
  fs_.set_thread(tid, own_root);
  if (dir.empty() && !rules::needs_view(passed)) {
    reach_[k] = passed;
    v.length = passed.size();
    v.trailing_slash = passed.size() > 1 && passed.back() == '/';
    return passed;
  }
  // Where the kernel goes with the program's string: the directory as named, joined.
  auto n = rules::join_path(dir, passed, reach_buf_[k]);
  if (!n) return std::nullopt;
  reach_[k] = std::string_view(reach_buf_[k].data(), *n);
  SlotMap map(m, call, arg);
  const rules::CompiledRule* dir_by = nullptr;
  if (!dir.empty() && !reverse_.empty()) {
    // A directory inside a prefix rule's replacement is PREFIX/... to the program, if the
    // rules send that back to the same directory.
    auto back = reverse_.to_view(dir, view_dir_, [&](std::string_view view) {
      const rules::CompiledRule* by = nullptr;
      if (map.map(view, map_buf_, by) != dir) return false;
      dir_by = by;
      return true;
    });
    if (back) dir = std::string_view(view_dir_.data(), *back);
  }
  v = rules::program_view(dir, passed, dir_by, map, fs_, buf);
  if (v.error != 0) return reach_[k];  // finish() fails the call if a rule is involved
  return std::string_view(buf.data(), v.length);
}

bool ViewStep::finish(unsigned k, const SyscallEntry& e, unsigned arg, std::string_view view,
                      rules::Decision& d, std::span<char> out) {
  const rules::ViewPath& v = views_[k];
  int error = v.error;
  if (error == 0 && d.action == rules::Action::rewrite && d.rule->prefix_map) {
    // A link the kernel would follow inside the replacement tree: followed here, in the
    // program's view. A trailing "/." or '/' makes the kernel follow a last link too.
    auto sys = rules::syscall_from_number(static_cast<int>(e.nr), e.audit_arch);
    const bool follow_last = v.last != rules::ViewPath::Last::name || v.trailing_slash ||
                             (sys && rules::follows_last_link(*sys, arg, e.args, e.audit_arch));
    SlotMap map(matcher_, call_, arg);
    rules::LinkWalk w =
        rules::follow_links(*d.rule, follow_last, map, fs_, out, d.replacement.size());
    error = w.error;
    if (error == 0) d.replacement = std::string_view(out.data(), w.length);
  }
  if (error != 0) {
    const rules::CompiledRule* rule = d.rule ? d.rule : v.mapped_by;
    if (rule == nullptr) return false;  // no rule involved: the kernel answers as natively
    d = rules::Decision{rules::Action::unwritable, rule, error, {}};
    return false;
  }
  return rules::finish_for_kernel(v, view, reach_[k], d, out);
}

}  // namespace redirect::engine
