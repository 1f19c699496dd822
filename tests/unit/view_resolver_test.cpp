// view_resolver: the step a run and `explain` share, over a fake file system: relative names
// joined to their directory, strings that name no file kept as written, a directory inside a
// prefix rule's replacement read back, and links in the bundle followed in finish().
#include "rules/view_resolver.h"

#include <doctest/doctest.h>
#include <linux/audit.h>

#include <array>
#include <climits>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "rules/syscall_table.h"
#include "tests/unit/rules_fixture.h"

using namespace redirect;
using rules::ArgBase;

namespace {

// Links by host path; every other path is a directory.
struct LinksFs final : rules::HostFs {
  std::map<std::string, std::string> links;
  rules::NodeKind lstat(const char* p) override {
    return links.count(p) ? rules::NodeKind::symlink : rules::NodeKind::directory;
  }
  std::optional<std::size_t> readlink(const char* p, std::span<char> out) override {
    const std::string& t = links.at(p);
    std::copy(t.begin(), t.end(), out.begin());
    return t.size();
  }
  bool walks_without_links(const char*) override { return links.empty(); }
};

struct Step {
  std::optional<rules::Matcher> m;
  LinksFs fs;
  std::unique_ptr<rules::ViewResolver> view;
  rules::SyscallRules call;
  std::array<char, PATH_MAX> buf, out;

  Step() {
    m = test::compile_ok(test::etc_app_rule(R"("openat")"));
    view = std::make_unique<rules::ViewResolver>(m->rules(), fs);
    call = m->find(*rules::syscall_number(rules::Sys::openat, AUDIT_ARCH_X86_64));
  }
  // resolve() then the Matcher then finish(), as a run and explain do: "VIEW -> RESULT".
  std::string decide(std::string_view passed, std::string_view dir = "",
                     ArgBase base = {ArgBase::Kind::dirfd, 0}) {
    auto v = view->resolve(&*m, &call, 1, 0, base, dir, passed, buf);
    if (!v) return "<too long>";
    rules::Decision d = m->decide(call, 1, rules::PathArg{passed, v}, out);
    const bool same = view->finish(0, 1, true, *v, d, out);
    std::string result = d.action == rules::Action::rewrite ? std::string(d.replacement)
                                                            : std::string("as passed");
    const bool kept = same && d.action == rules::Action::rewrite;
    return std::string(*v) + " -> " + result + (kept ? " (same)" : "");
  }
};

}  // namespace

TEST_CASE("view_resolver: the path the kernel reaches, in the program's view") {
  Step s;
  CHECK(s.decide("a/./b", "/home/u") == "/home/u/a/b -> as passed");
  CHECK(s.decide("//etc//app/x") == "/etc/app/x -> /snap/app/etc/x");
  CHECK(s.decide("app.sock", "/run", {ArgBase::Kind::sockaddr, 2}) ==
        "/run/app.sock -> as passed");
  CHECK(s.decide("../target", "/d", {ArgBase::Kind::link, 0}) == "../target -> as passed");
  CHECK(s.decide(std::string(PATH_MAX, 'x'), "/d") == "<too long>");
}

TEST_CASE("view_resolver: a working directory inside the bundle is read back") {
  Step s;
  // The kernel names the directory /snap/app/etc; the program is in /etc/app.
  CHECK(s.decide("conf", "/snap/app/etc") == "/etc/app/conf -> /snap/app/etc/conf (same)");
  CHECK(s.decide("../hosts", "/snap/app/etc") == "/etc/hosts -> /etc/hosts");
}

TEST_CASE("view_resolver: an absolute link inside the bundle goes through the rules again") {
  Step s;
  s.fs.links["/snap/app/etc/current"] = "/etc/app/v2/conf";
  CHECK(s.decide("/etc/app/current") == "/etc/app/current -> /snap/app/etc/v2/conf");
}

namespace {

// The same rules resolved twice: by a resolver that keeps directories' views and by one made
// as the in-process backend makes it, which keeps nothing.
struct TwoResolvers {
  std::optional<rules::Matcher> m;
  LinksFs fs;
  rules::ReverseIndex reverse;
  std::unique_ptr<rules::ViewResolver> kept, fresh;
  std::array<char, PATH_MAX> buf, out;

  TwoResolvers() {
    // The bundle moves /etc/app for openat only: mkdir's rules do not read it back.
    m = test::compile_ok(test::etc_app_rule(R"("openat")") + R"(
[[rule]]
name = "data"
syscalls = ["openat", "mkdir"]
match = '^/var/data(/.*)?$'
replace = '/snap/app/data$1'
)");
    reverse = rules::ReverseIndex(m->rules());
    kept = std::make_unique<rules::ViewResolver>(m->rules(), fs);
    fresh = std::make_unique<rules::ViewResolver>(reverse, fs, nullptr);
  }
  std::string decide(rules::ViewResolver& view, rules::Sys sys, unsigned arg,
                     std::string_view dir, std::string_view passed) {
    rules::SyscallRules call = m->find(*rules::syscall_number(sys, AUDIT_ARCH_X86_64));
    auto v = view.resolve(&*m, &call, arg, 0, {}, dir, passed, buf);
    if (!v) return "<too long>";
    rules::Decision d = m->decide(call, arg, rules::PathArg{passed, v}, out);
    const bool same = view.finish(0, arg, true, *v, d, out);
    return std::string(*v) + " -> " +
           (d.action == rules::Action::rewrite ? std::string(d.replacement) : "as passed") +
           (same ? " (same)" : "");
  }
};

}  // namespace

TEST_CASE("view_resolver: a kept directory view gives the answer of one read back afresh") {
  TwoResolvers t;
  struct Call {
    rules::Sys sys;
    unsigned arg;
    std::string_view dir, passed;
  };
  const std::string long_dir = "/snap/app/etc/" + std::string(PATH_MAX - 20, 'd');
  // The same directory for another syscall's rules, another directory of the same length, the
  // first again, the root, a name that is not clean, and one that does not fit.
  const Call calls[] = {
      {rules::Sys::openat, 1, "/snap/app/etc", "conf"},
      {rules::Sys::mkdir, 0, "/snap/app/etc", "conf"},
      {rules::Sys::openat, 1, "/snap/app/etc", "../x"},
      {rules::Sys::mkdir, 0, "/snap/app/etc", "sub/"},
      {rules::Sys::openat, 1, "/snap/app/abc", "conf"},
      {rules::Sys::openat, 1, "/snap/app/etc", "."},
      {rules::Sys::openat, 1, "/snap/app/data", "f"},
      {rules::Sys::mkdir, 0, "/snap/app/data", "f"},
      {rules::Sys::openat, 1, "/snap/app/data/x", "f"},
      {rules::Sys::openat, 1, "/", "etc/app/f"},
      {rules::Sys::openat, 1, "/", ".."},
      {rules::Sys::openat, 1, "/snap//app/etc/", "conf"},
      {rules::Sys::openat, 1, "/snap/app/etc/..", "etc/conf"},
      {rules::Sys::openat, 1, "/home/u", "f"},
      {rules::Sys::openat, 1, "/home/u", "/etc/app/f"},
      {rules::Sys::openat, 1, long_dir, "f"},
      {rules::Sys::openat, 1, "/snap/app/etc", std::string_view(long_dir).substr(1)},
      {rules::Sys::openat, 1, "/snap/app/etc", "conf"},
  };
  for (int round = 0; round < 2; ++round)
    for (const Call& c : calls) {
      INFO("round " << round << ": sys " << static_cast<int>(c.sys) << " " << c.dir.substr(0, 40)
                    << " + " << c.passed.substr(0, 40));
      CHECK(t.decide(*t.kept, c.sys, c.arg, c.dir, c.passed) ==
            t.decide(*t.fresh, c.sys, c.arg, c.dir, c.passed));
    }
  // And what they are: read back for openat's rules only.
  CHECK(t.decide(*t.kept, rules::Sys::openat, 1, "/snap/app/etc", "conf") ==
        "/etc/app/conf -> /snap/app/etc/conf (same)");
  CHECK(t.decide(*t.kept, rules::Sys::mkdir, 0, "/snap/app/etc", "conf") ==
        "/snap/app/etc/conf -> as passed (same)");
  CHECK(t.decide(*t.kept, rules::Sys::mkdir, 0, "/snap/app/data", "f") ==
        "/var/data/f -> /snap/app/data/f (same)");
}
