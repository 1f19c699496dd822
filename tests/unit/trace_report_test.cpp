// trace's view of path calls: access kinds, one-line and JSON forms, the summary's grouping.
#include "cli/trace_report.h"

#include <fcntl.h>

#include <cerrno>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "rules/syscall_table.h"

using namespace redirect;
using cli::Access;
using rules::Sys;

namespace {

engine::PathEvent event(Sys s, std::string path, std::optional<long> result,
                        std::uint64_t flags = 0) {
  engine::PathEvent e;
  e.tid = 42;
  e.program = "app";
  e.sys = s;
  e.syscall = rules::syscall_info(s).name;
  e.open_flags = flags;
  e.args.push_back({1, path, path, rules::Action::none, nullptr, ""});
  e.result = result;
  return e;
}

}  // namespace

TEST_CASE("trace_report: access kind from the syscall and the open flags") {
  CHECK(cli::access_of(Sys::openat, O_RDONLY) == Access::read);
  CHECK(cli::access_of(Sys::openat, O_RDWR | O_CREAT) == Access::write);
  CHECK(cli::access_of(Sys::openat, O_WRONLY) == Access::write);
  CHECK(cli::access_of(Sys::openat, O_PATH) == Access::metadata);
  CHECK(cli::access_of(Sys::openat, O_RDONLY | O_DIRECTORY | O_NONBLOCK) == Access::read);
  CHECK(cli::access_of(Sys::openat, O_RDWR | O_TMPFILE) == Access::write);
  CHECK(cli::access_of(Sys::creat, 0) == Access::write);
  CHECK(cli::access_of(Sys::mkdir, 0) == Access::write);
  CHECK(cli::access_of(Sys::renameat2, 0) == Access::write);
  CHECK(cli::access_of(Sys::execve, 0) == Access::exec);
  CHECK(cli::access_of(Sys::newfstatat, 0) == Access::metadata);
  CHECK(cli::access_of(Sys::readlink, 0) == Access::metadata);
}

TEST_CASE("trace_report: open flags as strace spells them") {
  CHECK(cli::open_flags_text(O_RDONLY | O_CLOEXEC) == "O_RDONLY|O_CLOEXEC");
  CHECK(cli::open_flags_text(O_RDWR | O_CREAT) == "O_RDWR|O_CREAT");
  CHECK(cli::open_flags_text(O_WRONLY | O_TMPFILE) == "O_WRONLY|O_TMPFILE");
  CHECK(cli::open_flags_text(O_RDONLY | O_DIRECTORY) == "O_RDONLY|O_DIRECTORY");
}

TEST_CASE("trace_report: one call on one line") {
  engine::PathEvent e = event(Sys::openat, "/data/x.db-journal", -ENOENT, O_RDWR | O_CREAT);
  e.args[0].passed = "x.db-journal";
  CHECK(cli::call_text(e) ==
        "app[42] openat(\"x.db-journal\" (/data/x.db-journal), O_RDWR|O_CREAT) = -1 ENOENT (No "
        "such file or directory)");
}

TEST_CASE("trace_report: a JSON event has the documented fields") {
  engine::PathEvent e = event(Sys::openat, "/etc/app.conf", -ENOENT, O_RDONLY);
  auto j = nlohmann::json::parse(cli::event_json(e));
  CHECK(j["pid"] == 42);
  CHECK(j["program"] == "app");
  CHECK(j["syscall"] == "openat");
  CHECK(j["access"] == "read");
  CHECK(j["flags"] == "O_RDONLY");
  CHECK(j["result"] == -1);
  CHECK(j["errno"] == "ENOENT");
  CHECK(j["dry_run"] == false);
  REQUIRE(j["paths"].size() == 1);
  CHECK(j["paths"][0]["arg"] == 1);
  CHECK(j["paths"][0]["passed"] == "/etc/app.conf");
  CHECK(j["paths"][0]["path"] == "/etc/app.conf");
  CHECK(j["paths"][0]["action"].is_null());
  CHECK(j["paths"][0]["rule"].is_null());
  SUBCASE("a result that is not an error has a null errno") {
    e.result = 3;
    auto ok = nlohmann::json::parse(cli::event_json(e));
    CHECK(ok["result"] == 3);
    CHECK(ok["errno"].is_null());
  }
  SUBCASE("bytes that are not UTF-8 do not break the line") {
    e.args[0].passed = "/etc/\xff";
    CHECK(nlohmann::json::accept(cli::event_json(e)));
  }
}

TEST_CASE("trace_report: failures grouped by directory, with counts and an example") {
  cli::TraceReport r;
  r.add(event(Sys::openat, "/data/x.db-journal", -ENOENT, O_RDWR | O_CREAT));
  r.add(event(Sys::openat, "/data/x.db-journal", -ENOENT, O_RDWR | O_CREAT));
  r.add(event(Sys::openat, "/data/x.db-wal", -ENOENT, O_RDONLY));
  r.add(event(Sys::openat, "/srv/out.txt", 3, O_WRONLY | O_CREAT));
  r.add(event(Sys::openat, "/etc/ok.conf", 4, O_RDONLY));
  r.add(event(Sys::openat, "/usr/share/locale/C/LC_MESSAGES/libc.mo", -ENOENT, O_RDONLY));
  std::string s = r.summary({});
  INFO(s);
  CHECK(s.find("6 path calls by 1 program: 4 failed") != std::string::npos);
  CHECK(s.find("  the last one:\n    app[42] openat(\"/usr/share/locale/C/LC_MESSAGES/libc.mo\"") !=
        std::string::npos);
  CHECK(s.find("the last before the message catalog probes, often the one the program gave up "
               "on:\n    app[42] openat(\"/data/x.db-wal\", O_RDONLY) = -1 ENOENT") !=
        std::string::npos);
  CHECK(s.find("  /data (3 calls)\n    \"x.db-journal\" (2x ENOENT) \"x.db-wal\" (1x ENOENT)\n"
               "    e.g. app[42] openat(\"/data/x.db-journal\", O_RDWR|O_CREAT) = -1 ENOENT") !=
        std::string::npos);
  CHECK(s.find("2. Paths created or written, by directory:\n  /srv (1 call)\n    \"out.txt\"\n") !=
        std::string::npos);
  CHECK(r.looked_up().contains("/etc/ok.conf"));
  CHECK(r.looked_up().contains("/data/x.db-wal"));
  CHECK_FALSE(r.looked_up().contains("/srv/out.txt"));
  CHECK(r.written().contains("/srv/out.txt"));
}

TEST_CASE("trace_report: mkdir of a directory that exists is no failure and no write") {
  cli::TraceReport r;
  r.add(event(Sys::mkdir, "/home/u/.config", -EEXIST));
  r.add(event(Sys::mkdirat, "/home/u/.config/app", 0));
  std::string s = r.summary({});
  INFO(s);
  CHECK(s.find("2 path calls by 1 program: 0 failed") != std::string::npos);
  CHECK(!r.written().contains("/home/u/.config"));
  CHECK(r.written().contains("/home/u/.config/app"));
}

TEST_CASE("trace_report: a rewrite that failed with ENAMETOOLONG is listed under rules") {
  rules::CompiledRule rule;
  rule.id = 0;
  rule.name = "long";
  rule.label = "'long'";
  rule.path = "r.toml";
  rule.pos = {3, 1};
  std::vector<rules::CompiledRule> list;
  list.push_back(std::move(rule));
  engine::PathEvent e = event(Sys::openat, "/x", -ENAMETOOLONG, O_RDONLY);
  e.args[0].action = rules::Action::unwritable;
  e.args[0].rule = &list[0];  // its result did not fit
  cli::TraceReport r;
  r.add(e);
  std::string s = r.summary(list);
  INFO(s);
  CHECK(s.find("rule 'long' (r.toml:3): 1 rewritten call failed, e.g. app[42] openat(\"/x\", "
               "O_RDONLY) = -1 ENAMETOOLONG") != std::string::npos);
  CHECK(r.looked_up().empty());
}

TEST_CASE("trace_report: each section keeps a bounded number of paths and says what it dropped") {
  cli::TraceReport r(100);
  for (int i = 0; i < 250; ++i)
    r.add(event(Sys::openat, "/missing/" + std::to_string(i), -ENOENT, O_RDONLY));
  r.add(event(Sys::openat, "/missing/7", -ENOENT, O_RDONLY));  // kept: still counted
  std::string s = r.summary({});
  INFO(s);
  CHECK(r.looked_up().size() == 100);
  CHECK(r.looked_up().at("/missing/7").calls == 2);
  CHECK(s.find("251 path calls by 1 program: 251 failed") != std::string::npos);
  // 150 paths beyond the cap, in both sections that record failures.
  CHECK(s.find("redirect trace: 300 times a path came beyond the 100 distinct ones each section "
               "keeps") != std::string::npos);
}
