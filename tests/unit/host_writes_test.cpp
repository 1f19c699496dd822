// --no-host-writes: which calls fail, with which errno, and which run.
#include "cli/host_writes.h"

#include <fcntl.h>

#include <cerrno>
#include <doctest/doctest.h>
#include <set>

#include "rules/syscall_table.h"

using namespace redirect;
using rules::Sys;

namespace {

engine::PathEvent call(Sys s, std::vector<std::string> paths, std::uint64_t flags = 0) {
  engine::PathEvent e;
  e.sys = s;
  e.syscall = rules::syscall_info(s).name;
  e.open_flags = flags;
  unsigned arg = 0;
  for (const std::string& p : paths)
    e.args.push_back({arg++, p, p, rules::Action::none, nullptr, ""});
  return e;
}

int error(const engine::PathEvent& e) {
  std::set<std::string> present = {"/home/u/.config", "/etc/app.conf"};
  return cli::host_write_error(e, "/b", [&](const std::string& p) { return present.contains(p); });
}

}  // namespace

TEST_CASE("host_writes: writes outside ROOT and /tmp fail with EROFS, reads run") {
  CHECK(error(call(Sys::openat, {"/run/nginx.pid"}, O_RDWR | O_CREAT | O_TRUNC)) == EROFS);
  CHECK(error(call(Sys::openat, {"/var/lib/app/state"}, O_WRONLY | O_CREAT)) == EROFS);
  CHECK(error(call(Sys::unlinkat, {"/home/u/x"})) == EROFS);
  CHECK(error(call(Sys::renameat2, {"/tmp/a", "/var/log/a"})) == EROFS);
  CHECK(error(call(Sys::openat, {"/etc/app.conf"}, O_RDONLY)) == 0);
  CHECK(error(call(Sys::newfstatat, {"/var/lib/app"})) == 0);
  CHECK(error(call(Sys::execve, {"/usr/bin/true"})) == 0);
}

TEST_CASE("host_writes: ROOT (with its data directories), /tmp and the kernel's trees run") {
  CHECK(error(call(Sys::openat, {"/b/data/run/nginx.pid"}, O_RDWR | O_CREAT)) == 0);
  CHECK(error(call(Sys::mkdir, {"/b/user-data/.config/app"})) == 0);
  CHECK(error(call(Sys::openat, {"/tmp/x"}, O_RDWR | O_CREAT)) == 0);
  CHECK(error(call(Sys::openat, {"/var/tmp/x"}, O_RDWR | O_CREAT)) == 0);
  CHECK(error(call(Sys::openat, {"/dev/null"}, O_WRONLY)) == 0);
  CHECK(error(call(Sys::openat, {"/bx/y"}, O_WRONLY)) == EROFS);  // not under /b
}

TEST_CASE("host_writes: as a read-only file system answers") {
  CHECK(error(call(Sys::mkdir, {"/home/u/.config"})) == EEXIST);
  CHECK(error(call(Sys::mkdir, {"/home/u/.config/app"})) == EROFS);
  CHECK(error(call(Sys::openat, {"/etc/app.conf"}, O_RDONLY | O_CREAT)) == 0);
  CHECK(error(call(Sys::openat, {"/etc/new.conf"}, O_RDONLY | O_CREAT)) == EROFS);
  CHECK(error(call(Sys::openat, {"/etc/app.conf"}, O_WRONLY | O_CREAT)) == EROFS);
}

TEST_CASE("host_writes: a call the rules decided is theirs") {
  engine::PathEvent e = call(Sys::openat, {"/var/lib/app/state"}, O_WRONLY | O_CREAT);
  e.args[0].action = rules::Action::allow;
  CHECK(error(e) == 0);
}
