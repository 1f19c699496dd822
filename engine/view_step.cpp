// ViewStep (see view_step.h). An absolute path without "//", "/./", "/." or ".." costs one scan;
// a relative one the join it cost before, plus a binary search per '/' of its directory when
// some rule is a prefix map.
#include "engine/view_step.h"

#include <cerrno>

#include "rules/path_text.h"

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
    if (d.kind != rules::Decision::Kind::rewrite || d.error != 0) return view;
    by = d.rule;
    return d.replacement;
  }

 private:
  const rules::Matcher* m_;
  const rules::SyscallRules* call_;
  unsigned arg_;
};

}  // namespace

std::optional<std::string_view> ViewStep::resolve(pid_t tid, const rules::Matcher* m,
                                   const rules::SyscallRules* call, unsigned arg, unsigned k,
                                   std::string_view dir, std::string_view passed,
                                   std::span<char> buf) {
  rules::ViewPath& v = views_[k];
  v = {};
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
  fs_.set_thread(tid);
  v = rules::program_view(dir, passed, dir_by, map, fs_, buf);
  if (v.error != 0) return reach_[k];  // finish() fails the call if a rule is involved
  return std::string_view(buf.data(), v.length);
}

bool ViewStep::finish(unsigned k, std::string_view view, rules::Decision& d,
                      std::span<char> out) {
  const rules::ViewPath& v = views_[k];
  if (v.error != 0) {
    const rules::CompiledRule* rule = d.rule ? d.rule : v.mapped_by;
    if (rule == nullptr) return false;  // no rule involved: the kernel answers as natively
    d = rules::Decision{rules::Decision::Kind::rewrite, rule, v.error, {}};
    return false;
  }
  return rules::finish_for_kernel(v, view, reach_[k], d, out);
}

}  // namespace redirect::engine
