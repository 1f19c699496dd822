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
    rules::Diagnostics diags;
    auto files = test::parse(R"(
[[rule]]
name = "app"
syscalls = ["openat"]
match = '^/etc/app(/.*)?$'
replace = '/snap/app/etc$1'
)", diags);
    m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, diags);
    REQUIRE(m);
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
