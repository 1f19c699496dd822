// unnamed_directory: what a directory's /proc link text says, read the same way by both
// backends.
#include "rules/unnamed_directory.h"

#include <doctest/doctest.h>

using namespace redirect;
using Kind = rules::DirectoryLink::Kind;

TEST_CASE("unnamed_directory: an absolute path names the directory") {
  const auto link = rules::read_directory_link("/w/host", 4096);
  CHECK(link.kind == Kind::named);
  CHECK(link.why.empty());
}

TEST_CASE("unnamed_directory: pipes, sockets and anonymous inodes are no files") {
  for (const char* text : {"pipe:[1234]", "socket:[99]", "anon_inode:[eventfd]", ""}) {
    CAPTURE(text);
    const auto link = rules::read_directory_link(text, 4096);
    CHECK(link.kind == Kind::unnamed);
    CHECK(link.why == "it is not a file in the file system");
  }
}

TEST_CASE("unnamed_directory: a name that filled the buffer is too long") {
  const auto link = rules::read_directory_link("/abcdefg", 8);
  CHECK(link.kind == Kind::unnamed);
  CHECK(link.why == "its name is longer than PATH_MAX");
  CHECK(rules::read_directory_link("/abcdef", 8).kind == Kind::named);
}

TEST_CASE("unnamed_directory: \" (deleted)\" is for the caller's link count to settle") {
  CHECK(rules::read_directory_link("/w/gone (deleted)", 4096).kind == Kind::maybe_deleted);
  CHECK(rules::read_directory_link("/w/(deleted)", 4096).kind == Kind::named);
}
