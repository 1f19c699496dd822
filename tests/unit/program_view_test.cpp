// program_view: ".." resolved as the kernel would walk it in the program's view (a fake file
// system and prefix rules), what the kernel is handed afterwards, and prefix rules read
// backwards.
#include "rules/program_view.h"

#include <doctest/doctest.h>
#include <linux/audit.h>

#include <array>
#include <cerrno>
#include <climits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "rules/last_link.h"
#include "rules/matcher.h"
#include "rules/path_text.h"
#include "rules/prefix_map.h"
#include "tests/unit/rules_fixture.h"

using namespace redirect;
using rules::NodeKind;

namespace {

// Directories and links by host path; everything else is missing. Counts lookups.
struct FakeFs final : rules::HostFs {
  std::map<std::string, std::string> links;
  std::vector<std::string> dirs;
  int lstats = 0;
  NodeKind lstat(const char* p) override {
    ++lstats;
    if (links.count(p)) return NodeKind::symlink;
    for (const auto& d : dirs)
      if (d == p) return NodeKind::directory;
    return NodeKind::missing;
  }
  std::optional<std::size_t> readlink(const char* p, std::span<char> out) override {
    const std::string& t = links.at(p);
    std::copy(t.begin(), t.end(), out.begin());
    return t.size();
  }
  bool walks_without_links(const char*) override { return links.empty(); }
};

// Prefix maps, first match decides (a stand-in for a Matcher slot).
struct FakeRules final : rules::RuleMap {
  std::vector<std::pair<std::string, std::string>> maps;
  rules::CompiledRule rule;
  std::string_view map(std::string_view view, std::span<char> out,
                       const rules::CompiledRule*& by) override {
    for (const auto& [from, to] : maps) {
      if (view != from && !(view.starts_with(from) && view[from.size()] == '/')) continue;
      std::string r = to + std::string(view.substr(from.size()));
      std::copy(r.begin(), r.end(), out.begin());
      out[r.size()] = '\0';
      by = &rule;
      return {out.data(), r.size()};
    }
    return view;
  }
};

struct Seen {
  std::string text;
  rules::ViewPath v;
};

Seen view(FakeRules& r, FakeFs& fs, std::string_view passed, std::string_view dir = "/") {
  static std::array<char, 4096> buf;
  rules::ViewPath v = rules::program_view(dir, passed, nullptr, r, fs, buf);
  return {std::string(buf.data(), v.length), v};
}

}  // namespace

TEST_CASE("program_view: '..' after a mapped prefix stays in the program's view") {
  FakeRules r;
  r.maps = {{"/var/lib/app", "/snap/data"}};
  FakeFs fs;
  fs.dirs = {"/snap/data", "/snap/data/sub", "/var", "/var/lib"};
  // /var/lib/app exists only in the bundle: its parent is still /var/lib.
  Seen s = view(r, fs, "/var/lib/app/../../../x");
  CHECK(s.text == "/x");
  CHECK(s.v.mapped_by == &r.rule);
  CHECK(view(r, fs, "/var/lib/app/sub/../f").text == "/var/lib/app/f");
  CHECK(view(r, fs, "sub/../f", "/var/lib/app").text == "/var/lib/app/f");
  // Nothing mapped: lexical, and the kernel reaches the same place with the string.
  Seen plain = view(r, fs, "/var/lib/../x");
  CHECK(plain.text == "/var/x");
  CHECK(plain.v.mapped_by == nullptr);
}

TEST_CASE("program_view: only paths with '..' are looked up") {
  FakeRules r;
  r.maps = {{"/a", "/b"}};
  FakeFs fs;
  CHECK(view(r, fs, "/a/x/./y//z").text == "/a/x/y/z");
  CHECK(view(r, fs, "x/..y/z..", "/a").text == "/a/x/..y/z..");
  CHECK(fs.lstats == 0);
  CHECK_FALSE(rules::needs_view("/a/x..y/..z"));
  CHECK(rules::needs_view("/a/.."));
  CHECK(rules::needs_view("/a/../b"));
}

TEST_CASE("program_view: a link before '..' is followed, an absolute target in the program's view") {
  FakeRules r;
  r.maps = {{"/app", "/snap/app"}};
  FakeFs fs;
  fs.dirs = {"/snap/app", "/snap/app/deep", "/snap/app/deep/dir", "/snap/app/other"};
  fs.links = {{"/snap/app/rel", "deep/dir"}, {"/snap/app/abs", "/app/deep/dir"}};
  CHECK(view(r, fs, "/app/rel/../f").text == "/app/deep/f");
  CHECK(view(r, fs, "/app/abs/../f").text == "/app/deep/f");
  CHECK(view(r, fs, "/app/abs/../../other").text == "/app/other");
}

TEST_CASE("program_view: ELOOP after 40 links, as the kernel") {
  FakeRules r;
  FakeFs fs;
  fs.links = {{"/loop", "/loop"}};
  CHECK(view(r, fs, "/loop/../x").v.error == ELOOP);
}

TEST_CASE("program_view: a missing component before '..' stops the walk there") {
  FakeRules r;
  r.maps = {{"/app", "/snap/app"}};
  FakeFs fs;
  fs.dirs = {"/snap/app"};
  Seen s = view(r, fs, "/app/missing/../f");
  CHECK(s.text == "/app/missing/../f");  // the kernel fails at "missing", as natively
}

TEST_CASE("program_view: the last component '.', '..' and a trailing '/'") {
  FakeRules r;
  FakeFs fs;
  fs.dirs = {"/w", "/w/d"};
  CHECK(view(r, fs, "d/.", "/w").v.last == rules::ViewPath::Last::dot);
  CHECK(view(r, fs, "d/./", "/w").text == "/w/d");
  CHECK(view(r, fs, ".", "/w").text == "/w");
  CHECK(view(r, fs, ".", "/w").v.last == rules::ViewPath::Last::dot);
  CHECK(view(r, fs, "d/..", "/w").text == "/w");
  CHECK(view(r, fs, "d/..", "/w").v.last == rules::ViewPath::Last::dotdot);
  Seen slash = view(r, fs, "d/", "/w");
  CHECK(slash.text == "/w/d/");
  CHECK(slash.v.trailing_slash);
  CHECK(view(r, fs, "d/../d/", "/w").text == "/w/d/");
}

// A clean directory (the kernel's name of one, path_text.h) lets program_view() scan only the
// name: the view, its last component, the rule that mapped it and the lookups must be the
// same as when the whole joined text is scanned.
TEST_CASE("program_view: a directory known clean gives the same view") {
  FakeRules r;
  r.maps = {{"/app", "/snap/app"}};
  FakeFs fs;
  fs.dirs = {"/", "/snap/app", "/snap/app/deep", "/snap/app/deep/dir", "/app", "/var", "/var/lib"};
  fs.links = {{"/snap/app/rel", "deep/dir"}};
  const std::string long_name(PATH_MAX - 8, 'x');
  for (std::string_view dir : {"/", "/app", "/app/rel", "/var/lib", "/app/deep/dir"}) {
    for (std::string_view passed :
         {"f", "f/", ".", "./", "..", "../", "../..", "sub/../f", "rel/../f", "../deep/./f/",
          "a//b", "/app/rel/../x", "", "x/.", long_name.c_str()}) {
      std::array<char, PATH_MAX> slow, fast, after_join;
      FakeFs fs_slow = fs, fs_fast = fs, fs_joined = fs;
      rules::ViewPath a = rules::program_view(dir, passed, nullptr, r, fs_slow, slow);
      rules::ViewPath b = rules::program_view(dir, passed, nullptr, r, fs_fast, fast, true);
      // The view from a join made beforehand (a directory no rule reads back).
      auto joined = rules::join_path(dir, passed, after_join);
      INFO("dir=" << dir << " passed=" << passed.substr(0, 20));
      CHECK(a.error == b.error);
      CHECK(a.length == b.length);
      CHECK(a.last == b.last);
      CHECK(a.trailing_slash == b.trailing_slash);
      CHECK(a.mapped_by == b.mapped_by);
      CHECK(fs_slow.lstats == fs_fast.lstats);
      if (a.error == 0)
        CHECK(std::string_view(slow.data(), a.length) == std::string_view(fast.data(), b.length));
      if (!joined) {
        CHECK(a.error == ENAMETOOLONG);
        continue;
      }
      rules::ViewPath c =
          rules::view_of_joined(*joined, passed, nullptr, r, fs_joined, after_join, true);
      CHECK(a.error == c.error);
      CHECK(a.length == c.length);
      CHECK(a.last == c.last);
      CHECK(a.trailing_slash == c.trailing_slash);
      CHECK(a.mapped_by == c.mapped_by);
      CHECK(fs_slow.lstats == fs_joined.lstats);
      if (a.error == 0)
        CHECK(std::string_view(slow.data(), a.length) ==
              std::string_view(after_join.data(), c.length));
    }
  }
}

TEST_CASE("finish_for_kernel: the rewrite keeps '/.' and '/', and a mapped view is handed over") {
  rules::CompiledRule rule;
  std::array<char, 64> out;
  auto rewrite = [&](std::string_view s) {
    std::copy(s.begin(), s.end(), out.begin());
    out[s.size()] = '\0';
    return rules::Decision{rules::Action::rewrite, &rule, 0, {out.data(), s.size()}};
  };
  rules::ViewPath dot;
  dot.last = rules::ViewPath::Last::dot;
  rules::Decision d = rewrite("/snap/d");
  CHECK_FALSE(rules::finish_for_kernel(dot, "/app/d", "/app/d", d, out));
  CHECK(d.replacement == "/snap/d/.");
  rules::ViewPath slash;
  slash.trailing_slash = true;
  d = rewrite("/snap/d");
  (void)rules::finish_for_kernel(slash, "/app/d/", "/app/d/", d, out);
  CHECK(d.replacement == "/snap/d/");
  // A rewrite to where the string already goes: the string is kept.
  rules::ViewPath plain;
  d = rewrite("/snap/d");
  CHECK(rules::finish_for_kernel(plain, "/app/d", "/snap/d", d, out));
  // No rule matched the view, but a rule named it: the view is handed over.
  rules::ViewPath mapped;
  mapped.mapped_by = &rule;
  rules::Decision none;
  CHECK_FALSE(rules::finish_for_kernel(mapped, "/etc/passwd", "/snap/passwd", none, out));
  CHECK(none.action == rules::Action::rewrite);
  CHECK(none.replacement == "/etc/passwd");
}

TEST_CASE("prefix_map_of: the shape --suggest writes, and nothing else") {
  auto pm = rules::prefix_map_of(R"(^/var/lib/my\-app(/.*)?$)", "/snap/x/data$1");
  REQUIRE(pm);
  CHECK(pm->prefix == "/var/lib/my-app");
  CHECK(pm->replacement == "/snap/x/data");
  CHECK(rules::prefix_map_of("^/home/a.b(/.*)?$", "/s/$$v${1}")->replacement == "/s/$v");
  CHECK_FALSE(rules::prefix_map_of("^/a/(.*)$", "/b/$1"));
  CHECK_FALSE(rules::prefix_map_of("^/a(/.*)?$", "/b$2"));
  CHECK_FALSE(rules::prefix_map_of("^/a(/.*)?$", "/b/x"));
  CHECK_FALSE(rules::prefix_map_of("^/a|/b(/.*)?$", "/b$1"));
  CHECK_FALSE(rules::prefix_map_of("^a(/.*)?$", "/b$1"));
  CHECK_FALSE(rules::prefix_map_of("^/a(/.*)?$", "$$1"));
}

TEST_CASE("ReverseIndex: a directory inside a prefix rule's replacement, deepest first") {
  rules::Diagnostics diags;
  auto files = test::parse(R"(
[[rule]]
name = "home"
syscalls = ["openat"]
match = '^@{HOME}/\.app(/.*)?$'
replace = '/data/app$1'

[[rule]]
name = "etc"
syscalls = ["openat"]
match = '^/etc/app(/.*)?$'
replace = '/data/app/etc${1}'

[[rule]]
name = "not-a-tree"
syscalls = ["openat"]
match = '^/x/(.*)$'
replace = '/data/$1'
)", diags);
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
  REQUIRE(m);
  REQUIRE(m->rules()[0].prefix_map);
  CHECK_FALSE(m->rules()[2].prefix_map);
  rules::ReverseIndex index(m->rules());
  std::array<char, 256> out;
  std::vector<std::string> offered;
  auto all = [&](std::string_view host) {
    offered.clear();
    (void)index.to_view(host, out, [&](std::string_view v) {
      offered.emplace_back(v);
      return false;
    });
    return offered;
  };
  CHECK(all("/data/app/etc/sub") ==
        std::vector<std::string>{"/etc/app/sub", "/home/user/.app/etc/sub"});
  CHECK(all("/data/app") == std::vector<std::string>{"/home/user/.app"});
  CHECK(all("/data/apple").empty());
  CHECK(all("/data/other").empty());
  auto first = index.to_view("/data/app/etc", out, [](std::string_view) { return true; });
  REQUIRE(first);
  CHECK(std::string_view(out.data(), *first) == "/etc/app");
}

namespace {

// FakeRules as prefix rules the walk can recognise: each map's rule carries its PrefixMap.
struct PrefixRules final : rules::RuleMap {
  std::vector<rules::CompiledRule> rules;
  void add(std::string from, std::string to) {
    rules::CompiledRule& r = rules.emplace_back();
    r.prefix_map = rules::PrefixMap{std::move(from), std::move(to)};
  }
  std::string_view map(std::string_view view, std::span<char> out,
                       const rules::CompiledRule*& by) override {
    for (const rules::CompiledRule& r : rules) {
      const std::string& from = r.prefix_map->prefix;
      if (view != from && !(view.starts_with(from) && view[from.size()] == '/')) continue;
      std::string s = r.prefix_map->replacement + std::string(view.substr(from.size()));
      std::copy(s.begin(), s.end(), out.begin());
      out[s.size()] = '\0';
      by = &r;
      return {out.data(), s.size()};
    }
    return view;
  }
};

struct Walked {
  std::string path;
  int error;
};

Walked walk(PrefixRules& r, FakeFs& fs, std::size_t rule, std::string_view host,
            bool follow_last = true) {
  std::array<char, 4096> out;
  std::copy(host.begin(), host.end(), out.begin());
  out[host.size()] = '\0';
  rules::LinkWalk w = rules::follow_links(r.rules[rule], follow_last, r, fs, out, host.size());
  return {std::string(out.data(), w.error ? host.size() : w.length), w.error};
}

}  // namespace

TEST_CASE("follow_links: links below a replacement root, in the program's view") {
  PrefixRules r;
  r.rules.reserve(4);
  r.add("/usr/share/units", "/b/share");
  r.add("/var/lib/units", "/b/state");
  FakeFs fs;
  fs.dirs = {"/b", "/b/share", "/b/state", "/b/share/sub", "/usr", "/usr/share"};
  fs.links = {{"/b/share/currency.units", "/var/lib/units/currency.units"},
              {"/b/share/dir", "/var/lib/units"},
              {"/b/share/sub/rel", "../../../../var/lib/units/x"},
              {"/b/share/loop", "/usr/share/units/loop"}};
  CHECK(walk(r, fs, 0, "/b/share/currency.units").path == "/b/state/currency.units");
  CHECK(walk(r, fs, 0, "/b/share/currency.units", false).path == "/b/share/currency.units");
  CHECK(walk(r, fs, 0, "/b/share/dir/currency.units", false).path == "/b/state/currency.units");
  CHECK(walk(r, fs, 0, "/b/share/sub/rel").path == "/b/state/x");
  CHECK(walk(r, fs, 0, "/b/share/loop").error == ELOOP);
  CHECK(walk(r, fs, 0, "/b/share/missing/x").path == "/b/share/missing/x");
}

TEST_CASE("follows_last_link: the calls and flags that act on the link itself") {
  using rules::Sys;
  std::array<std::uint64_t, 6> none{};
  CHECK(rules::follows_last_link(Sys::stat, 0, none, AUDIT_ARCH_X86_64));
  CHECK_FALSE(rules::follows_last_link(Sys::lstat, 0, none, AUDIT_ARCH_X86_64));
  CHECK_FALSE(rules::follows_last_link(Sys::readlink, 0, none, AUDIT_ARCH_X86_64));
  CHECK_FALSE(rules::follows_last_link(Sys::unlinkat, 1, none, AUDIT_ARCH_X86_64));
  std::array<std::uint64_t, 6> nofollow{0, 0, 0400000};
  CHECK(rules::follows_last_link(Sys::openat, 1, none, AUDIT_ARCH_X86_64));
  CHECK_FALSE(rules::follows_last_link(Sys::openat, 1, nofollow, AUDIT_ARCH_X86_64));
  CHECK(rules::follows_last_link(Sys::openat, 1, nofollow, AUDIT_ARCH_AARCH64));
  std::array<std::uint64_t, 6> excl{0, 0, 0300};
  CHECK_FALSE(rules::follows_last_link(Sys::openat, 1, excl, AUDIT_ARCH_X86_64));
  std::array<std::uint64_t, 6> at_nofollow{0, 0, 0, 0x100};
  CHECK_FALSE(rules::follows_last_link(Sys::newfstatat, 1, at_nofollow, AUDIT_ARCH_X86_64));
  CHECK(rules::follows_last_link(Sys::newfstatat, 1, none, AUDIT_ARCH_X86_64));
}
