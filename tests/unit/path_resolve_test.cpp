// path_resolve: which directory a relative argument needs, and which arguments of a syscall
// name files (view_resolver_test.cpp: the path they reach).
#include "rules/path_resolve.h"

#include <doctest/doctest.h>

#include <linux/audit.h>

#include <array>
#include <climits>
#include <string>

#include "rules/syscall_table.h"

using namespace redirect;
using rules::ArgBase;
using rules::DirectoryNeed;

TEST_CASE("path_resolve: which directory a relative argument needs") {
  const ArgBase cwd{}, at{ArgBase::Kind::dirfd, 0}, sock{ArgBase::Kind::sockaddr, 2};
  CHECK(rules::directory_needed(cwd, "/abs", 0).kind == DirectoryNeed::Kind::none);
  CHECK(rules::directory_needed(cwd, "rel", 0).kind == DirectoryNeed::Kind::cwd);
  CHECK(rules::directory_needed(at, "rel", rules::at_fdcwd).kind == DirectoryNeed::Kind::cwd);
  const DirectoryNeed fd = rules::directory_needed(at, "rel", 7);
  CHECK(fd.kind == DirectoryNeed::Kind::dirfd);
  CHECK(fd.fd == 7);
  // An AF_UNIX address is relative to the working directory, like any path.
  CHECK(rules::directory_needed(sock, "app.sock", 0).kind == DirectoryNeed::Kind::cwd);
  // A symlink's target and non-path strings need nothing.
  CHECK(rules::directory_needed({ArgBase::Kind::link, 0}, "rel", 0).kind ==
        DirectoryNeed::Kind::none);
  CHECK(rules::directory_needed({ArgBase::Kind::not_a_path, 0}, "user.x", 0).kind ==
        DirectoryNeed::Kind::none);
}

TEST_CASE("path_resolve: the path arguments of a syscall, in its arch's registers") {
  auto renameat = rules::path_arguments(
      *rules::syscall_number(rules::Sys::renameat, AUDIT_ARCH_X86_64), AUDIT_ARCH_X86_64);
  REQUIRE(renameat.size() == 2);
  CHECK(renameat[0].reg == 1);
  CHECK(renameat[0].base.kind == ArgBase::Kind::dirfd);
  CHECK(renameat[0].base.dirfd_reg == 0);
  CHECK(renameat[1].reg == 3);
  CHECK(renameat[1].base.dirfd_reg == 2);
  // symlink(target, linkpath): the target is no file the call touches.
  auto symlink = rules::path_arguments(
      *rules::syscall_number(rules::Sys::symlink, AUDIT_ARCH_X86_64), AUDIT_ARCH_X86_64);
  REQUIRE(symlink.size() == 1);
  CHECK(symlink[0].reg == 1);
  CHECK(rules::path_arguments(-1, AUDIT_ARCH_X86_64).empty());
}
