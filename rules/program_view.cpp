// The program's view of a path argument (see program_view.h). One pass over the components of
// the joined text; at each "..", one rule lookup and one lstat of the component before it.
#include "rules/program_view.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>

#include "rules/matcher.h"
#include "rules/path_text.h"

namespace redirect::rules {
namespace {

using Last = ViewPath::Last;

// The last component of `s`, trailing slashes skipped.
Last last_of(std::string_view s) {
  while (s.size() > 1 && s.back() == '/') s.remove_suffix(1);
  std::size_t slash = s.rfind('/');
  std::string_view part = slash == std::string_view::npos ? s : s.substr(slash + 1);
  if (part == ".") return Last::dot;
  if (part == "..") return Last::dotdot;
  return Last::name;
}

bool has_dotdot(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (s[i] == '.' && s[i + 1] == '.' && (i == 0 || s[i - 1] == '/') &&
        (i + 2 == s.size() || s[i + 2] == '/'))
      return true;
  return false;
}

// A path being walked: `out` holds the directories walked so far ("" is the root), `rest`
// what is left to walk. A link's target is spliced in front of the rest.
struct Walk {
  std::span<char> out;
  std::size_t n = 0;
  std::array<char, PATH_MAX> rest;
  std::size_t rest_n = 0, pos = 0;

  std::string_view done() const { return {out.data(), n}; }
  void pop() {
    while (n > 0 && out[n - 1] != '/') --n;
    if (n > 0) --n;
  }
  bool push(std::string_view part) {
    if (n + 1 + part.size() + 1 > out.size()) return false;
    out[n++] = '/';
    if (part.size() != 0) std::memcpy(out.data() + n, part.data(), part.size());
    n += part.size();
    return true;
  }
  // The rest becomes `front` + "/" + rest[from, rest_n).
  bool splice(std::string_view front, std::size_t from) {
    std::string_view tail(rest.data() + from, rest_n - from);
    if (front.size() + 1 + tail.size() + 1 > rest.size()) return false;
    if (tail.size() != 0) std::memmove(rest.data() + front.size() + 1, tail.data(), tail.size());
    if (front.size() != 0) std::memcpy(rest.data(), front.data(), front.size());
    rest[front.size()] = '/';
    rest_n = front.size() + 1 + tail.size();
    pos = 0;
    return true;
  }
};

// Resolves the ".." components of the joined, absolute text in `w.rest` (see program_view.h).
int resolve_dotdots(Walk& w, RuleMap& rules, HostFs& fs, const CompiledRule*& mapped_by) {
  std::array<char, PATH_MAX> mapped_buf;
  std::array<char, PATH_MAX> target;
  int links = 0;
  while (w.pos < w.rest_n) {
    while (w.pos < w.rest_n && w.rest[w.pos] == '/') ++w.pos;
    const std::size_t start = w.pos;
    while (w.pos < w.rest_n && w.rest[w.pos] != '/') ++w.pos;
    std::string_view part(w.rest.data() + start, w.pos - start);
    if (part.empty() || part == ".") continue;
    if (part != "..") {
      if (!w.push(part)) return ENAMETOOLONG;
      continue;
    }
    if (w.n == 0) continue;  // "/.." is "/"
    w.out[w.n] = '\0';
    const CompiledRule* by = nullptr;
    std::string_view host = rules.map(w.done(), mapped_buf, by);
    const bool moved = host != w.done();
    if (!moved) host = std::string_view(w.out.data(), w.n);  // NUL-terminated either way
    switch (fs.lstat(host.data())) {
      case NodeKind::directory:
        if (moved) mapped_by = by;
        w.pop();
        break;
      case NodeKind::symlink: {
        if (++links > kMaxSymlinks) return ELOOP;
        std::optional<std::size_t> len = fs.readlink(host.data(), target);
        if (!len || *len == 0) return ENOENT;
        if (moved) mapped_by = by;
        std::string_view t(target.data(), *len);
        // The link's own component is replaced by its target; the ".." then applies to it.
        if (t.front() == '/')
          w.n = 0;
        else
          w.pop();
        if (!w.splice(t, start)) return ENAMETOOLONG;
        break;
      }
      case NodeKind::missing:
      case NodeKind::other: {
        // The kernel stops here (ENOENT, ENOTDIR): so does the view, the rest kept as written.
        if (moved) mapped_by = by;
        std::string_view tail(w.rest.data() + start, w.rest_n - start);
        if (w.n + 1 + tail.size() + 1 > w.out.size()) return ENAMETOOLONG;
        w.out[w.n++] = '/';
        if (tail.size() != 0) std::memcpy(w.out.data() + w.n, tail.data(), tail.size());
        w.n += tail.size();
        return 0;
      }
    }
  }
  return 0;
}

}  // namespace

bool needs_view(std::string_view passed) { return needs_collapse(passed) || has_dotdot(passed); }

ViewPath program_view(std::string_view dir, std::string_view passed,
                      const CompiledRule* dir_mapped_by, RuleMap& rules, HostFs& fs,
                      std::span<char> out, bool dir_clean) {
  auto joined = dir_clean ? join_to_clean_dir(dir, passed, out) : join_path(dir, passed, out);
  if (!joined) {
    ViewPath v;
    v.mapped_by = dir_mapped_by;
    v.last = last_of(passed);
    v.error = ENAMETOOLONG;
    return v;
  }
  return view_of_joined(*joined, passed, dir_mapped_by, rules, fs, out, dir_clean);
}

ViewPath view_of_joined(std::size_t joined, std::string_view passed,
                        const CompiledRule* dir_mapped_by, RuleMap& rules, HostFs& fs,
                        std::span<char> out, bool dir_clean) {
  ViewPath v;
  v.mapped_by = dir_mapped_by;
  v.last = last_of(passed);
  std::string_view text(out.data(), joined);
  // A clean directory has no ".." of its own; collapsing `passed` keeps every ".." it has.
  if (dir_clean ? has_dotdot(passed) : has_dotdot(text)) {
    Walk w;
    w.out = out;
    if (text.size() != 0) std::memcpy(w.rest.data(), text.data(), text.size());
    w.rest_n = text.size();
    v.error = resolve_dotdots(w, rules, fs, v.mapped_by);
    if (v.error != 0) return v;
    if (w.n == 0) out[w.n++] = '/';
    if (passed.ends_with('/') && w.n > 1 && v.last == Last::name && w.n + 1 < out.size())
      out[w.n++] = '/';
    text = std::string_view(out.data(), w.n);
  }
  // "d/./" and "d/." are both "d" for matching; the "." comes back in finish_for_kernel().
  if (v.last != Last::name && text.size() > 1 && text.back() == '/') text.remove_suffix(1);
  out[text.size()] = '\0';
  v.length = text.size();
  v.trailing_slash = text.size() > 1 && text.back() == '/';
  return v;
}

bool finish_for_kernel(const ViewPath& v, std::string_view view, std::string_view reach,
                       Decision& d, std::span<char> out) {
  if (fails_call(d.action)) return false;
  if (d.action != Action::rewrite) {
    if (v.mapped_by == nullptr) return true;  // the kernel reaches the view with the string
    if (view.size() + 1 > out.size()) {
      d = Decision{Action::unwritable, d.rule ? d.rule : v.mapped_by, ENAMETOOLONG, {}};
      return false;
    }
    if (view.size() != 0) std::memmove(out.data(), view.data(), view.size());
    out[view.size()] = '\0';
    d = Decision{Action::rewrite, d.rule ? d.rule : v.mapped_by, 0, {out.data(), view.size()}};
  }
  std::size_t n = d.replacement.size();
  const bool same = d.replacement == reach;
  // Put back what the collapsed form dropped and the kernel needs.
  std::string_view suffix;
  if (n > 0 && v.last != Last::name)
    suffix = out[n - 1] == '/' ? "." : "/.";
  else if (n > 0 && v.trailing_slash && out[n - 1] != '/')
    suffix = "/";
  if (n + suffix.size() + 1 > out.size()) {
    d.make_unwritable(ENAMETOOLONG);
    d.replacement = {};
    return false;
  }
  if (!suffix.empty()) std::memcpy(out.data() + n, suffix.data(), suffix.size());
  n += suffix.size();
  out[n] = '\0';
  d.replacement = std::string_view(out.data(), n);
  return same;
}

}  // namespace redirect::rules

namespace redirect::rules {
namespace {

// The walk below one prefix rule's replacement root, restarted when a link sends it elsewhere.
struct LinkFollower {
  LinkFollower(RuleMap& r, HostFs& f, bool follow, std::span<char> o, std::size_t len)
      : rules(r), fs(f), follow_last(follow), out(o), n(len) {}
  RuleMap& rules;
  HostFs& fs;
  bool follow_last;
  std::span<char> out;
  std::size_t n;
  int links = 0;
  // Left uninitialised: only the bytes written are read.
  std::array<char, PATH_MAX> probe, target, view, mapped;

  // Replaces out[0, n) with the host path of `view_text` (program view); the rule that mapped
  // it, or null when no prefix rule did.
  const PrefixMap* remap(std::string_view view_text, int& error) {
    std::array<char, PATH_MAX> resolved;
    ViewPath v = program_view("", view_text, nullptr, rules, fs, resolved);
    if (v.error != 0) {
      error = v.error;
      return nullptr;
    }
    const CompiledRule* by = nullptr;
    std::string_view host = rules.map({resolved.data(), v.length}, mapped, by);
    if (host.size() + 1 > out.size()) {
      error = ENAMETOOLONG;
      return nullptr;
    }
    if (host.size() != 0) std::memmove(out.data(), host.data(), host.size());
    n = host.size();
    out[n] = '\0';
    return by != nullptr && by->prefix_map ? &*by->prefix_map : nullptr;
  }

  // One pass below `pm`'s root: 0 when done, -1 to walk again below `pm` (updated), or an errno.
  int pass(const PrefixMap*& pm) {
    std::string_view host(out.data(), n);
    const std::size_t root = pm->replacement.size();
    if (!host.starts_with(pm->replacement) || (host.size() > root && host[root] != '/')) return 0;
    for (std::size_t i = root; i < n;) {
      std::size_t s = i;
      while (s < n && out[s] == '/') ++s;
      if (s == n) return 0;
      std::size_t e = s;
      while (e < n && out[e] != '/') ++e;
      const bool last = host.find_first_not_of('/', e) == std::string_view::npos;
      const bool slash_after = e < n;  // "link/" is followed, whatever the call
      if (e != 0) std::memcpy(probe.data(), out.data(), e);
      probe[e] = '\0';
      NodeKind kind = fs.lstat(probe.data());
      if (kind == NodeKind::directory) {
        i = e;
        continue;
      }
      if (kind != NodeKind::symlink || (last && !follow_last && !slash_after)) return 0;
      if (++links > kMaxSymlinks) return ELOOP;
      std::optional<std::size_t> len = fs.readlink(probe.data(), target);
      if (!len || *len == 0) return 0;  // gone meanwhile: the kernel answers
      // The new path in the program's view: the target (from the link's directory, read back
      // to the rule's prefix, when relative), then the rest.
      std::string_view t(target.data(), *len), rest = host.substr(e);
      std::size_t v = 0;
      auto put = [&](std::string_view piece) {
        if (v + piece.size() + 1 > view.size()) return false;
        if (piece.size() != 0) std::memcpy(view.data() + v, piece.data(), piece.size());
        v += piece.size();
        return true;
      };
      bool fits = true;
      if (t.front() != '/') {
        fits = put(pm->prefix) && put(host.substr(root, s - root));
      }
      if (!fits || !put(t) || !put(rest)) return ENAMETOOLONG;
      int error = 0;
      const PrefixMap* next = remap({view.data(), v}, error);
      if (error != 0) return error;
      if (next == nullptr) return 0;  // a host path: the kernel walks it as the host's
      pm = next;
      return -1;
    }
    return 0;
  }
};

}  // namespace

LinkWalk follow_links(const CompiledRule& rule, bool follow_last, RuleMap& rules, HostFs& fs,
                      std::span<char> out, std::size_t length) {
  if (!rule.prefix_map || fs.walks_without_links(out.data())) return {length, 0};
  // On the stack, not the heap: the in-process backend resolves paths inside a signal
  // handler, where nothing may allocate (it runs on a private stack with room for this).
  LinkFollower f(rules, fs, follow_last, out, length);
  const PrefixMap* pm = &*rule.prefix_map;
  for (;;) {
    int r = f.pass(pm);
    if (r > 0) return {length, r};
    if (r == 0) return {f.n, 0};
  }
}

}  // namespace redirect::rules
