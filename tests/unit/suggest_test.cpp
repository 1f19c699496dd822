// --suggest: which paths become bundle rules and which never do (nothing the host's packages
// use is hidden), what each rule's comment says, the data rules, roots with any characters,
// and that every file is one `lint --strict` accepts.
#include "cli/suggest.h"

#include <linux/audit.h>
#include <sys/syscall.h>

#include <cerrno>
#include <doctest/doctest.h>
#include <set>

#include "cli/shared_dirs.h"
#include "rules/lint.h"
#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

cli::PathFacts missing(bool used = true) {
  cli::PathFacts f{1, ENOENT, "app[1] openat(...) = -1 ENOENT"};
  f.used = used;
  return f;
}

cli::PathFacts found(bool used = true) {
  cli::PathFacts f{1, 0, "app[1] openat(...) = 3"};
  f.used = used;
  f.succeeded = true;
  return f;
}

// A file system of the given paths (host ones and ROOT-prefixed bundle ones): a name ending in
// '/' is a directory; every parent is a directory.
struct FakeFs {
  std::set<std::string> files, dirs;
  explicit FakeFs(std::initializer_list<std::string> paths) {
    for (std::string p : paths) {
      if (p.ends_with('/')) {
        p.pop_back();
        dirs.insert(p);
      } else {
        files.insert(p);
      }
      for (auto slash = p.rfind('/'); slash != 0 && slash != std::string::npos;
           slash = p.rfind('/', slash - 1))
        dirs.insert(p.substr(0, slash));
    }
  }
  cli::FileSystemView view() const {
    cli::FileSystemView v;
    v.exists = [this](const std::string& p) { return files.contains(p) || dirs.contains(p); };
    v.is_dir = [this](const std::string& p) { return dirs.contains(p); };
    v.list = [this](const std::string& d) -> std::optional<std::vector<std::string>> {
      if (!dirs.contains(d)) return std::nullopt;
      std::set<std::string> names;
      for (const auto* set : {&files, &dirs})
        for (const std::string& p : *set)
          if (p.size() > d.size() + 1 && p.starts_with(d + "/") &&
              p.find('/', d.size() + 1) == std::string::npos)
            names.insert(p.substr(d.size() + 1));
      return std::vector<std::string>(names.begin(), names.end());
    };
    return v;
  }
};

std::string suggest(const std::map<std::string, cli::PathFacts>& looked_up,
                    const std::map<std::string, cli::PathFacts>& written, const FakeFs& fs,
                    std::string root = "/b", std::string var = "SNAP") {
  cli::SuggestOptions o{root, var, "/home/u", "app", {}};
  return cli::suggest_rules(looked_up, written, o, fs.view()).file();
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The file compiles without a diagnostic, `lint --strict` included; its matcher (with no
// SNAP set, so the defaults apply).
std::optional<rules::Matcher> check_lints_clean(const std::string& text) {
  rules::Diagnostics diags;
  std::vector<rules::RuleFile> files;
  files.push_back(rules::parse_rules("suggested.toml", text,
                                     test::fixed_env({{"HOME", "/home/u"}}), diags));
  rules::lint_rules(rules::compile_rules(files, diags), diags);
  rules::Diagnostics again;  // the same compile errors, if any: said once above
  auto m = rules::Matcher::compile(files, AUDIT_ARCH_X86_64, again);
  CHECK(m.has_value());
  INFO(text);
  INFO(test::text_of(diags));
  CHECK(diags.all().empty());
  return m;
}

std::string rewrite(const rules::Matcher& m, std::string_view path) {
  return test::decide(m, SYS_openat, 1, path).value;
}

}  // namespace

TEST_CASE("suggest: files found in the bundle map by their app's directory") {
  FakeFs fs{"/usr/lib/libc.so.6", "/b/opt/demo/app.conf", "/b/opt/demo/data/items.txt"};
  std::string text = suggest({{"/opt/demo/app.conf", missing()},
                              {"/opt/demo/data/items.txt", missing()},
                              {"/usr/lib/libc.so.6", found()}},
                             {}, fs);
  INFO(text);
  CHECK(has(text, "match = '^/opt/demo(/.*)?$'\nreplace = '@{SNAP:-/b}/opt/demo$1'\n"));
  CHECK(has(text, "# covers: the bundle's /opt/demo, a directory the host does not have\n"
                  "# 2 calls on 2 paths"));
  CHECK(has(text, "# hides: nothing of the host's\n[[rule]]\nname = 'bundle-opt-demo'"));
  CHECK(!has(text, "libc"));
  CHECK(!has(text, "data(/"));  // covered by /opt/demo
  check_lints_clean(text);
}

TEST_CASE("suggest: a shared directory, or one the host has more in, is never mapped whole") {
  FakeFs fs{"/etc/passwd",        "/opt/shared/host.conf",  "/b/etc/demo.conf",
            "/b/etc/demo/a.conf", "/b/usr/share/demo/x",    "/b/opt/shared/app.conf",
            "/usr/share/games/host-game/", "/b/usr/share/games/demo-game"};
  std::string text = suggest({{"/etc/demo.conf", missing()},
                              {"/etc/demo/a.conf", missing()},
                              {"/usr/share/demo/x", missing()},
                              {"/opt/shared/app.conf", missing()},
                              {"/usr/share/games/demo-game", missing()}},
                             {}, fs, "/b", "APP_ROOT");
  INFO(text);
  CHECK(has(text, "match = '^/etc/demo\\.conf$'"));
  CHECK(has(text, "match = '^/etc/demo(/.*)?$'"));
  CHECK(has(text, "match = '^/usr/share/demo(/.*)?$'"));
  CHECK(has(text, "match = '^/opt/shared/app\\.conf$'"));
  CHECK(has(text, "match = '^/usr/share/games/demo-game$'"));
  CHECK(has(text, "@{APP_ROOT:-/b}"));
  for (std::string_view whole : {"'^/etc(/", "'^/usr/share(/", "'^/opt/shared(/",
                                 "'^/usr/share/games(/", "'^/opt(/"})
    CHECK(!has(text, whole));
  check_lints_clean(text);
}

TEST_CASE("suggest: a library gets a rule of its own, in both its /lib and /usr/lib forms") {
  FakeFs fs{"/usr/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6",
            "/b/usr/lib/x86_64-linux-gnu/librecode.so.0"};
  std::string text = suggest({{"/lib/x86_64-linux-gnu/librecode.so.0", missing()},
                              {"/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/librecode.so.0",
                               missing()},
                              {"/usr/lib/x86_64-linux-gnu/librecode.so.0", missing()}},
                             {}, fs);
  INFO(text);
  CHECK(has(text, "match = '^(?:/usr)?/lib/x86_64-linux-gnu/librecode\\.so\\.0$'\n"
                  "replace = '@{SNAP:-/b}/usr/lib/x86_64-linux-gnu/librecode.so.0'"));
  CHECK(!has(text, "x86_64-linux-gnu(/"));
  CHECK(!has(text, "hwcaps"));
  auto m = check_lints_clean(text);
  REQUIRE(m);
  CHECK(rewrite(*m, "/lib/x86_64-linux-gnu/librecode.so.0") ==
        "/b/usr/lib/x86_64-linux-gnu/librecode.so.0");
  CHECK(rewrite(*m, "/usr/lib/x86_64-linux-gnu/librecode.so.0") ==
        "/b/usr/lib/x86_64-linux-gnu/librecode.so.0");
  CHECK(rewrite(*m, "/lib/x86_64-linux-gnu/libm.so.6").empty());
}

TEST_CASE("suggest: no rule from a directory probe, a host path, or a shared parent") {
  FakeFs fs{"/etc/passwd",           "/usr/lib/locale/C.utf8/LC_CTYPE",
            "/b/etc/app.conf",       "/b/usr/lib/",
            "/b/usr/lib/locale/de/", "/b/opt/probed/",
            "/b/usr/share/games/fortunes/fortunes", "/b/usr/share/games/fortunes/fortunes.dat"};
  std::string text = suggest({{"/etc", found(false)},
                              {"/usr/lib", found(false)},
                              {"/opt/probed", missing(false)},
                              {"/usr/lib/locale/locale-archive", missing()},
                              {"/usr/lib/locale/C.utf8/LC_CTYPE", found()},
                              {"/usr/share/games/fortunes", missing()},
                              {"/usr/share/games/fortunes/fortunes.dat", missing()}},
                             {}, fs);
  INFO(text);
  CHECK(!has(text, "'^/etc"));
  CHECK(!has(text, "'^/usr/lib"));
  CHECK(!has(text, "probed"));
  CHECK(!has(text, "locale"));
  CHECK(has(text, "match = '^/usr/share/games/fortunes(/.*)?$'"));
  CHECK(!has(text, "'^/usr/share/games(/"));
  check_lints_clean(text);
}

TEST_CASE("suggest: a listed package directory is mapped whole, saying what it hides") {
  FakeFs fs{"/usr/lib/python3/dist-packages/six.py", "/usr/lib/python3/dist-packages/yaml/",
            "/b/usr/lib/python3/dist-packages/pyfiglet/__init__.py",
            "/b/usr/share/doc/pyfiglet/copyright", "/usr/share/doc/libc6/copyright"};
  std::string text = suggest({{"/usr/lib/python3/dist-packages", found()},
                              {"/usr/share/doc", found()}},
                             {}, fs);
  INFO(text);
  CHECK(has(text, "match = '^(?:/usr)?/lib/python3/dist-packages(/.*)?$'\n"
                  "replace = '@{SNAP:-/b}/usr/lib/python3/dist-packages$1'"));
  CHECK(has(text, "# hides: the host's /usr/lib/python3/dist-packages (2 entries): six.py, yaml"));
  CHECK(has(text, "only this shows it the bundle's pyfiglet"));
  CHECK(!has(text, "match = '^/usr/share/doc"));
  CHECK(has(text, "# Note: the program listed /usr/share/doc on the host, which lacks the "
                  "bundle's pyfiglet there.\n# No rule:"));
  CHECK(has(text, "would hide\n# the host's /usr/share/doc (1 entry): libc6."));
  check_lints_clean(text);
}

TEST_CASE("suggest: writes go to the data directories, with names that say where") {
  FakeFs fs{"/var/log/"};
  std::map<std::string, cli::PathFacts> written = {
      {"/home/u/.config/demo/settings.ini", found()},
      {"/home/u/.config", found()},
      {"/var/lib/demo/state.db", missing()},
      {"/var/log/nginx/error.log", missing()},
      {"/var/cache/nginx/proxy", missing()},
      {"/run/nginx.pid", missing()},
      {"/tmp/scratch", found()},
  };
  cli::SuggestOptions o{"/b", "SNAP", "/home/u", "app", {}};
  cli::Suggestion s = cli::suggest_rules({}, written, o, fs.view());
  std::string text = s.file();
  INFO(text);
  CHECK(has(text, "match = '^@{HOME}/\\.config/demo(/.*)?$'\n"
                  "replace = '@{SNAP_USER_DATA:-/b/user-data}/.config/demo$1'"));
  CHECK(has(text, "name = 'data-demo'\nsyscalls = [\"%file\"]\n"
                  "match = '^/var/lib/demo(/.*)?$'\nreplace = '@{SNAP_DATA:-/b/data}/demo$1'"));
  CHECK(has(text, "name = 'data-log-nginx'\nsyscalls = [\"%file\"]\n"
                  "match = '^/var/log/nginx(/.*)?$'\nreplace = '@{SNAP_DATA:-/b/data}/log/nginx$1'"));
  CHECK(has(text, "match = '^/var/cache/nginx(/.*)?$'"));
  CHECK(has(text, "match = '^(?:/var)?/run/nginx\\.pid(/.*)?$'\n"
                  "replace = '@{SNAP_DATA:-/b/data}/run/nginx.pid$1'"));
  CHECK(!has(text, "scratch"));
  CHECK(!has(text, "'^@{HOME}/\\.config(/"));
  std::set<std::string> dirs(s.data_dirs.begin(), s.data_dirs.end());
  CHECK(dirs == std::set<std::string>{"/b/user-data/.config/demo", "/b/data/demo",
                                      "/b/data/log/nginx", "/b/data/cache/nginx", "/b/data/run"});
  check_lints_clean(text);
}

TEST_CASE("suggest: roots with any characters, and a root under the program's own paths") {
  for (std::string root : {"/b$1x", "/b}x", "/b'x\"y", "/tmp/nc/root"}) {
    CAPTURE(root);
    FakeFs fs{root + "/opt/demo/app.conf", root + "/tmp/nc/app.conf", "/tmp/nc/other"};
    std::string text = suggest({{"/opt/demo/app.conf", missing()},
                                {"/tmp/nc/app.conf", missing()},
                                {"/tmp/nc", found(false)}},
                               {{"/var/lib/demo/x", missing()}}, fs, root);
    INFO(text);
    CHECK(!has(text, "'^/tmp/nc(/"));
    auto m = check_lints_clean(text);
    REQUIRE(m);
    CHECK(rewrite(*m, "/opt/demo/app.conf") == root + "/opt/demo/app.conf");
    CHECK(rewrite(*m, "/tmp/nc/app.conf") == root + "/tmp/nc/app.conf");
    CHECK(rewrite(*m, "/var/lib/demo/x") == root + "/data/demo/x");
  }
  CHECK(cli::unusable_root("/a@{b").has_value());
  CHECK(!cli::unusable_root("/a@b{c}").has_value());
}

TEST_CASE("suggest: shared directories") {
  for (std::string_view d : {"/etc", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                             "/usr/lib/x86_64-linux-gnu/perl5", "/usr/lib/x86_64-linux-gnu/perl5/5.36",
                             "/usr/share/perl/5.36", "/usr/lib/python3.11", "/usr/share/games",
                             "/usr/lib/locale", "/etc/profile.d", "/usr/local/share/x", "/lib/modules"})
    CHECK_MESSAGE(cli::shared_dir(d), d);
  for (std::string_view d : {"/opt/demo", "/usr/share/figlet", "/usr/lib/x86_64-linux-gnu/nginx",
                             "/etc/nginx", "/usr/share/games/fortunes"})
    CHECK_MESSAGE(!cli::shared_dir(d), d);
  CHECK(cli::merged_usr_prefix("/lib/x/y") == "/lib");
  CHECK(cli::merged_usr_prefix("/usr/lib64/y") == "/usr/lib64");
  CHECK(cli::merged_usr_prefix("/usr/libexec/y").empty());
  CHECK(cli::merged_usr_prefix("/libx").empty());
}

TEST_CASE("suggest: quoting") {
  CHECK(cli::pattern_literal("/a.b/c+d@{x}") == "/a\\.b/c\\+d@\\{x\\}");
  CHECK(cli::toml_quote("it's") == "\"it's\"");
  CHECK(cli::toml_quote("plain") == "'plain'");
}
