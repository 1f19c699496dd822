// --suggest: which directories become bundle rules, in which order, and that the file is one
// `lint --strict` accepts.
#include "cli/suggest.h"

#include <linux/audit.h>

#include <cerrno>
#include <doctest/doctest.h>
#include <set>

#include "rules/lint.h"
#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

cli::PathFacts facts(int error) { return {1, error, "app[1] openat(...) = -1 ENOENT"}; }

std::function<bool(const std::string&)> files_in(std::set<std::string> present) {
  return [present](const std::string& p) { return present.contains(p); };
}

// The file compiles without a diagnostic, `lint --strict` included.
void check_lints_clean(const std::string& text) {
  rules::Diagnostics diags;
  auto files = test::parse(text, diags, "suggested.toml");
  rules::lint_rules(rules::compile_rules(files, diags), diags);
  INFO(text);
  INFO(test::text_of(diags));
  CHECK(diags.all().empty());
}

}  // namespace

TEST_CASE("suggest: files found in the bundle map by their app's directory") {
  std::map<std::string, cli::PathFacts> looked_up = {
      {"/opt/demo/app.conf", facts(ENOENT)},
      {"/opt/demo/data/items.txt", facts(ENOENT)},
      {"/usr/lib/libc.so.6", facts(0)},  // the host's, not in the bundle
  };
  cli::SuggestOptions o{"/b", "SNAP", "/home/u", "app"};
  std::string text = cli::suggest_rules(
      looked_up, {}, o, files_in({"/b/opt", "/b/opt/demo", "/b/opt/demo/app.conf",
                                  "/b/opt/demo/data", "/b/opt/demo/data/items.txt"}));
  INFO(text);
  CHECK(text.find("match = '^/opt/demo(/.*)?$'\nreplace = '@{SNAP:-/b}/opt/demo$1'\n") !=
        std::string::npos);
  CHECK(text.find("2 calls on 2 paths") != std::string::npos);
  CHECK(text.find("libc") == std::string::npos);
  CHECK(text.find("data(/") == std::string::npos);  // covered by /opt/demo
  check_lints_clean(text);
}

TEST_CASE("suggest: a shared directory is never mapped whole") {
  std::map<std::string, cli::PathFacts> looked_up = {
      {"/etc/demo.conf", facts(ENOENT)},
      {"/etc/demo/a.conf", facts(ENOENT)},
      {"/usr/share/demo/x", facts(ENOENT)},
  };
  cli::SuggestOptions o{"/b", "APP_ROOT", "", "app"};
  std::string text = cli::suggest_rules(
      looked_up, {},
      o, files_in({"/b/etc", "/b/etc/demo.conf", "/b/etc/demo", "/b/etc/demo/a.conf",
                   "/b/usr/share/demo", "/b/usr/share/demo/x"}));
  INFO(text);
  CHECK(text.find("match = '^/etc/demo\\.conf$'") != std::string::npos);
  CHECK(text.find("match = '^/etc/demo(/.*)?$'") != std::string::npos);
  CHECK(text.find("match = '^/usr/share/demo(/.*)?$'") != std::string::npos);
  CHECK(text.find("@{APP_ROOT:-/b}") != std::string::npos);
  CHECK(text.find("'^/etc(/") == std::string::npos);
  CHECK(text.find("'^/usr/share(/") == std::string::npos);
  check_lints_clean(text);
}

TEST_CASE("suggest: writes under $HOME and /var/lib go to the data directories, deepest first") {
  std::map<std::string, cli::PathFacts> written = {
      {"/home/u/.config/demo/settings.ini", facts(0)},
      {"/var/lib/demo/state.db", facts(ENOENT)},
      {"/tmp/scratch", facts(0)},
  };
  cli::SuggestOptions o{"/b", "SNAP", "/home/u", "app"};
  std::string text = cli::suggest_rules({}, written, o, files_in({}));
  INFO(text);
  auto user = text.find("match = '^@{HOME}/\\.config/demo(/.*)?$'\n"
                        "replace = '@{SNAP_USER_DATA:-/b/user-data}/.config/demo$1'");
  auto data = text.find("match = '^/var/lib/demo(/.*)?$'\nreplace = '@{SNAP_DATA:-/b/data}/demo$1'");
  CHECK(user != std::string::npos);
  CHECK(data != std::string::npos);
  CHECK(text.find("scratch") == std::string::npos);
  check_lints_clean(text);
}

TEST_CASE("suggest: quoting") {
  CHECK(cli::pattern_literal("/a.b/c+d@{x}") == "/a\\.b/c\\+d@\\{x\\}");
  CHECK(cli::toml_quote("it's") == "\"it's\"");
  CHECK(cli::toml_quote("plain") == "'plain'");
}
