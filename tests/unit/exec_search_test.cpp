// exec_candidates: the file names execvp(3) would try, in its order (glibc posix/execvpe.c).
// path-lookup.sh checks the same rules end to end against execvp itself.
#include "engine/exec_search.h"

#include <doctest/doctest.h>

using redirect::engine::exec_candidates;
using redirect::engine::exec_search_goes_on;
using V = std::vector<std::string>;

TEST_CASE("exec_candidates: each PATH element in order") {
  CHECK(exec_candidates("ls", "/usr/local/bin:/usr/bin:/bin") ==
        V{"/usr/local/bin/ls", "/usr/bin/ls", "/bin/ls"});
}

TEST_CASE("exec_candidates: a name with a slash is not looked up") {
  CHECK(exec_candidates("./prog", "/usr/bin") == V{"./prog"});
  CHECK(exec_candidates("/bin/true", "/usr/bin") == V{"/bin/true"});
  CHECK(exec_candidates("dir/prog", nullptr) == V{"dir/prog"});
}

TEST_CASE("exec_candidates: unset PATH is glibc's default /bin:/usr/bin") {
  CHECK(exec_candidates("sh", nullptr) == V{"/bin/sh", "/usr/bin/sh"});
}

TEST_CASE("exec_candidates: an empty element is the current directory") {
  CHECK(exec_candidates("prog", ":/bin") == V{"prog", "/bin/prog"});
  CHECK(exec_candidates("prog", "/bin:") == V{"/bin/prog", "prog"});
  CHECK(exec_candidates("prog", "/a::/b") == V{"/a/prog", "prog", "/b/prog"});
  CHECK(exec_candidates("prog", "") == V{"prog"});
}

TEST_CASE("exec_candidates: an empty name has no candidate (ENOENT)") {
  CHECK(exec_candidates("", "/bin").empty());
}

TEST_CASE("exec_search_goes_on: as execvpe's switch") {
  for (int e : {EACCES, ENOENT, ESTALE, ENOTDIR, ENODEV, ETIMEDOUT}) CHECK(exec_search_goes_on(e));
  for (int e : {E2BIG, ENOMEM, ETXTBSY, ELOOP, ENAMETOOLONG, EPERM, EINVAL})
    CHECK_FALSE(exec_search_goes_on(e));
}
