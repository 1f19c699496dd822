// rewriter: decide-then-patch against a fake tracee (memory, registers, /proc answers), so the
// path policy is tested without ptrace: what is read, which path the rules see, what is
// written where, which registers change, and what is left alone.
#include "engine/rewriter.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/arch/native.h"
#include "engine/scratch_area.h"
#include "rules/syscall_table.h"
#include "tests/unit/rules_fixture.h"

using namespace redirect;
using engine::DirName;
using engine::RemotePtr;

namespace {

const arch::Personality& host = arch::native::personalities[0];

// A stopped tracee made of maps.
class FakeTracee final : public engine::TraceeIo {
 public:
  std::map<std::uint64_t, std::string> strings;      // address -> C string there
  std::map<std::uint64_t, std::string> written;      // address -> bytes we wrote
  std::map<std::uint16_t, std::uint64_t> registers;  // register offset -> value we set
  std::string cwd = "/";
  std::map<int, std::string> fds;  // fd -> what /proc/TID/fd/N names
  std::map<int, bool> fd_is_dir;

  engine::StringRead read_string(pid_t, RemotePtr at, std::span<char> buf) override {
    auto it = strings.find(at.addr);
    if (it == strings.end()) return {engine::StringRead::Status::unreadable, 0, EFAULT};
    std::memcpy(buf.data(), it->second.c_str(), it->second.size() + 1);
    return {engine::StringRead::Status::ok, it->second.size(), 0};
  }
  bool read_bytes(pid_t, RemotePtr, std::span<char>) override { return false; }
  int write(pid_t, std::span<const engine::RemoteWrite> pieces) override {
    for (const auto& p : pieces) written[p.to.addr] = std::string(p.bytes.data(), p.bytes.size());
    return 0;
  }
  int apply(pid_t, const engine::RegPatch& patch) override {
    for (std::size_t i = 0; i < patch.size(); ++i) registers[patch.offset(i)] = patch.value(i);
    return 0;
  }
  int read_result(pid_t, const arch::Personality&, long& out) override {
    out = 0;
    return 0;
  }
  DirName name_directory(pid_t, std::optional<int> dirfd, std::span<char> out) override {
    std::string name = cwd;
    if (dirfd) {
      auto it = fds.find(*dirfd);
      if (it == fds.end()) return {DirName::Status::unnamed, 0, "not an open file descriptor"};
      name = it->second;
    }
    if (name.empty() || name[0] != '/') return {DirName::Status::unnamed, 0, "not a file"};
    std::memcpy(out.data(), name.c_str(), name.size() + 1);
    return {DirName::Status::ok, name.size(), {}};
  }
  bool fd_is_directory(pid_t, int fd) override { return fd_is_dir[fd]; }
  bool shares_our_root(pid_t) override { return true; }
};

class QuietNotices final : public engine::Notices {
 public:
  void say(std::string_view line) override { said.emplace_back(line); }
  std::vector<std::string> said;
};

constexpr std::uint64_t kStack = 0x7fff0000;
constexpr std::uint64_t kScratch = 0x10000000;
constexpr std::uint64_t kPath0 = 0x1000, kPath1 = 0x2000;

// One entry stop of `sys` with the given argument registers, run through a Rewriter.
struct Stop {
  explicit Stop(std::string_view toml) {
    rules::Diagnostics diags;
    files = test::parse(toml, diags);
    REQUIRE_FALSE(diags.has_errors());
    matcher.emplace(*rules::Matcher::compile(files, host.audit_arch, diags));
    matchers[0] = &*matcher;
    tracee.tid = 42;
    // An address space whose scratch mapping exists already (named and sealed): a rewrite
    // takes a slot of it and injects nothing.
    tracee.space = std::make_shared<engine::AddressSpace>();
    tracee.space->chunks.push_back({RemotePtr{kScratch}, 4, true, true});
    tracee.space->busy.assign(4, false);
  }
  // Returns whether some rule decided the call.
  bool enter(rules::Sys sys, std::array<std::uint64_t, 6> args) {
    engine::SyscallEntry e;
    e.personality = &host;
    e.audit_arch = host.audit_arch;
    e.nr = *rules::syscall_number(sys, host.audit_arch);
    e.args = e.raw_args = args;
    e.sp = kStack;
    engine::ScratchAreas scratch(stats, nullptr);
    engine::SyscallPatcher patcher(fake, scratch, stats, false);
    engine::OwnTraps traps(patcher, scratch, nullptr, notices);
    engine::Rewriter rewriter(std::span(matchers.data(), 1), {}, fake, patcher, traps, nullptr,
                              stats, notices);
    return rewriter.on_entry(tracee, e, /*seccomp_stop=*/true).any_rule();
  }
  // The string argument register `arg` now points at (written by us, or the program's own).
  std::string arg_string(unsigned arg, std::uint64_t original) const {
    auto reg = fake.registers.find(host.arg_offset[arg]);
    std::uint64_t at = reg == fake.registers.end() ? original : reg->second;
    if (auto w = fake.written.find(at); w != fake.written.end())
      return std::string(w->second.c_str());
    return fake.strings.at(at);
  }

  std::vector<rules::RuleFile> files;
  std::optional<rules::Matcher> matcher;
  std::array<const rules::Matcher*, 1> matchers{};
  FakeTracee fake;
  engine::Stats stats;
  QuietNotices notices;
  engine::Tracee tracee;
};

constexpr std::string_view kAppRule = R"([[rule]]
name = "app"
syscalls = ["%file"]
match = '^/var/lib/app(/.*)?$'
replace = '/snap/data$1'
)";

constexpr std::uint64_t at_fdcwd = static_cast<std::uint64_t>(-100);

}  // namespace

TEST_CASE("rewriter: a relative name is matched as the path from the working directory") {
  Stop s(kAppRule);
  s.fake.cwd = "/var/lib";
  s.fake.strings[kPath0] = "app/cache";
  CHECK(s.enter(rules::Sys::mkdir, {kPath0}));
  CHECK(s.arg_string(0, kPath0) == "/snap/data/cache");
  // In the scratch mapping, never on the program's stack.
  CHECK(s.fake.written.begin()->first >= kScratch);
  CHECK(s.fake.written.begin()->first < kScratch + 4 * engine::scratch_slot_size);
  CHECK(s.tracee.exit_planned());
  CHECK(s.stats.rewritten == 1);
}

TEST_CASE("rewriter: openat's path is relative to its dirfd, renameat's two to their own") {
  Stop s(kAppRule);
  s.fake.cwd = "/elsewhere";
  s.fake.fds = {{3, "/var/lib"}, {4, "/var/lib/app/sub"}};
  s.fake.fd_is_dir = {{3, true}, {4, true}};
  s.fake.strings[kPath0] = "app/a";
  s.fake.strings[kPath1] = "b";
  CHECK(s.enter(rules::Sys::renameat, {3, kPath0, 4, kPath1}));
  CHECK(s.arg_string(1, kPath0) == "/snap/data/a");
  CHECK(s.arg_string(3, kPath1) == "/snap/data/sub/b");
}

TEST_CASE("rewriter: nothing is touched when no rule matches or a rewrite changes nothing") {
  Stop s(std::string(kAppRule) + R"(
[[rule]]
name = "same"
syscalls = ["%file"]
match = '^/usr/(.*)$'
replace = '/usr/$1'
)");
  s.fake.cwd = "/usr";
  s.fake.strings[kPath0] = "share/x";
  s.enter(rules::Sys::openat, {at_fdcwd, kPath0});  // "same" decides: the same path
  s.fake.strings[kPath0] = "other";
  s.fake.cwd = "/var/lib";
  s.enter(rules::Sys::openat, {at_fdcwd, kPath0});  // no rule
  CHECK(s.fake.written.empty());
  CHECK(s.fake.registers.empty());
  CHECK_FALSE(s.tracee.exit_planned());
  CHECK(s.stats.rewritten == 0);
}

TEST_CASE("rewriter: a directory that cannot be named leaves the argument as passed") {
  Stop s(kAppRule);
  s.fake.fds = {{5, "pipe:[1234]"}, {6, "/var/lib/app"}};
  s.fake.fd_is_dir = {{6, false}};  // a regular file whose name matches
  s.fake.strings[kPath0] = "x";
  SUBCASE("a pipe") { s.enter(rules::Sys::openat, {5, kPath0}); }
  SUBCASE("a closed fd") { s.enter(rules::Sys::openat, {9, kPath0}); }
  SUBCASE("a dirfd on a regular file") { s.enter(rules::Sys::openat, {6, kPath0}); }
  CHECK(s.fake.registers.empty());
  CHECK(s.stats.unresolved == 1);
}

TEST_CASE("rewriter: deny decides on the resolved path") {
  Stop s(R"([[rule]]
syscalls = ["openat"]
match = '^/secret/'
action = "deny"
errno = "EPERM"
)");
  s.fake.cwd = "/secret";
  s.fake.strings[kPath0] = "key";
  CHECK(s.enter(rules::Sys::openat, {at_fdcwd, kPath0}));
  CHECK(s.fake.registers.at(host.nr_offset) == static_cast<std::uint64_t>(-1));
  CHECK(s.fake.registers.at(host.result_offset) == static_cast<std::uint64_t>(-EPERM));
}

TEST_CASE("rewriter: paths = \"as-passed\" matches the string as the program wrote it") {
  Stop s(R"(paths = "as-passed"
[[rule]]
syscalls = ["openat"]
match = '^TWO\.txt$'
replace = 'ONE.txt'
)");
  s.fake.cwd = "/work";
  s.fake.strings[kPath0] = "TWO.txt";
  CHECK(s.enter(rules::Sys::openat, {at_fdcwd, kPath0}));
  CHECK(s.arg_string(1, kPath0) == "ONE.txt");
}

TEST_CASE("rewriter: a symlink's relative target is matched as written, never resolved") {
  Stop s(R"([[rule]]
syscalls = ["symlink"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'
)");
  s.fake.cwd = "/work";
  s.fake.strings[kPath0] = "TWO.txt";       // target: stored as written
  s.fake.strings[kPath1] = "dir/TWO.txt";   // link name: resolved
  s.enter(rules::Sys::symlink, {kPath0, kPath1});
  CHECK(s.arg_string(0, kPath0) == "ONE.txt");
  CHECK(s.arg_string(1, kPath1) == "/work/dir/ONE.txt");
}
