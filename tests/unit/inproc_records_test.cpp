// Tests of cli/inproc_records.cpp: a decision record of the in-process backend becomes the
// engine's EntryDecision (so the ptrace run's DecisionLog writes its line), and a record that
// does not fit the rules (a rule id out of range, lengths that do not add up) is dropped and
// counted, never trusted.
#include "cli/inproc_records.h"

#include <asm/unistd_64.h>
#include <doctest/doctest.h>
#include <linux/audit.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/rules_fixture.h"

using namespace redirect;

namespace {

constexpr std::string_view kRules = R"(
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/v/(.*)$'
replace = '/real/$1'
)";

class NoNotices final : public engine::Notices {
 public:
  void say(std::string_view line) override { said.emplace_back(line); }
  std::vector<std::string> said;
};

// A record of one openat whose argument 1 `passed` was rewritten to `replacement` by rule 0.
std::vector<char> openat_record(std::string_view passed, std::string_view replacement,
                                long result, std::int32_t rule = 0) {
  inproc::RecordHeader h = inproc::blank_header();
  h.kind = inproc::RecordKind::call;
  h.tid = 4242;
  h.nr = __NR_openat;
  h.arg_count = 1;
  h.applied = inproc::RecordApplied::patched;
  h.result = result;
  std::memcpy(h.comm, "app", 3);
  inproc::RecordArg& a = h.args[0];
  a.arg = 1;
  a.action = static_cast<std::uint8_t>(rules::Action::rewrite);
  a.rule = rule;
  a.passed_len = static_cast<std::uint16_t>(passed.size());
  a.replacement_len = static_cast<std::uint16_t>(replacement.size());
  std::vector<char> m(sizeof h);
  std::memcpy(m.data(), &h, sizeof h);
  m.insert(m.end(), passed.begin(), passed.end());
  m.insert(m.end(), replacement.begin(), replacement.end());
  return m;
}

}  // namespace

TEST_CASE("inproc records: a rewrite decodes to the ArgDecision a ptrace stop makes") {
  const rules::Matcher m = test::compile_ok(kRules);
  const std::vector<char> msg = openat_record("/v/a", "/real/a", 3);
  std::optional<cli::DecodedRecord> r = cli::decode_record(msg, m);
  REQUIRE(r.has_value());
  CHECK(r->decision.syscall == "openat");
  REQUIRE(r->decision.arg_count == 1);
  const engine::ArgDecision& a = r->decision.args[0];
  CHECK(a.arg == 1);
  CHECK(a.value.passed == "/v/a");
  CHECK_FALSE(a.value.resolved.has_value());
  CHECK(a.decision.action == rules::Action::rewrite);
  CHECK(a.decision.replacement == "/real/a");
  REQUIRE(a.decision.rule != nullptr);
  CHECK(a.decision.rule->label == "'virtual'");
  CHECK(r->decision.applied == engine::Applied::patched);
}

TEST_CASE("inproc records: records that do not fit are refused") {
  const rules::Matcher m = test::compile_ok(kRules);
  SUBCASE("a rule id the rules do not have") {
    CHECK_FALSE(cli::decode_record(openat_record("/v/a", "/real/a", 3, 7), m).has_value());
  }
  SUBCASE("a rewrite without a rule") {
    CHECK_FALSE(cli::decode_record(openat_record("/v/a", "/real/a", 3, -1), m).has_value());
  }
  SUBCASE("strings longer or shorter than their lengths") {
    std::vector<char> longer = openat_record("/v/a", "/real/a", 3);
    longer.push_back('x');
    CHECK_FALSE(cli::decode_record(longer, m).has_value());
    std::vector<char> shorter = openat_record("/v/a", "/real/a", 3);
    shorter.pop_back();
    CHECK_FALSE(cli::decode_record(shorter, m).has_value());
  }
  SUBCASE("another layout") {
    std::vector<char> other = openat_record("/v/a", "/real/a", 3);
    other[0] ^= 1;
    CHECK_FALSE(cli::decode_record(other, m).has_value());
    CHECK_FALSE(cli::decode_record(std::span(other.data(), 8), m).has_value());
  }
}

TEST_CASE("inproc records: the collector writes the ptrace run's line and counts the failure") {
  const rules::Matcher m = test::compile_ok(kRules);
  char path[] = "/tmp/redirect-records-test.XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::string error;
  std::optional<engine::DecisionLog> log = engine::DecisionLog::open(path, false, error);
  REQUIRE(log.has_value());
  engine::Stats stats;
  NoNotices notices;
  {
    cli::RecordCollector collector(m, false, &*log, stats, notices);
    collector.receive(openat_record("/v/a", "/real/a", -ENOENT));
    std::vector<char> bad = openat_record("/v/a", "/real/a", 3, 9);
    collector.receive(bad);
    collector.finish();
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  ::unlink(path);
  const std::string line = text.str();
  const std::size_t at = line.find(" 4242 ");
  REQUIRE(at != std::string::npos);
  CHECK(line.substr(at) ==
        " 4242 (app) openat[1] rewrite \"/v/a\" -> \"/real/a\" rule 'virtual' = -1 ENOENT (No "
        "such file or directory)\n");
  CHECK(stats.rewritten == 1);
  CHECK(stats.rewritten_failed == 1);
  REQUIRE(stats.rule_hits.size() == 1);
  CHECK(stats.rule_hits[0] == 1);
  CHECK(stats.rule_failed[0] == 1);
  CHECK(stats.records == 1);
  CHECK(stats.records_bad == 1);
  REQUIRE(notices.said.size() == 1);
  CHECK(notices.said[0] ==
        "1 decision records made no sense and were dropped (a rule file changed since the "
        "start?)");
}
