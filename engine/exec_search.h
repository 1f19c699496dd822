// The PATH search of execvp(3), split so that a CLONE_VM child can run it: the tracer works out
// the candidate file names beforehand (allocating as it likes), and the child only tries them
// in order and classifies each failure, with no allocation and no errno. The rules are glibc's
// (posix/execvpe.c): a name with a '/' is tried as is; otherwise each element of PATH (unset:
// "/bin:/usr/bin"; an empty element: the current directory) is tried in turn; EACCES is
// remembered and the search goes on, ENOENT-like errors go on, any other error ends it; a file
// the kernel cannot execute (ENOEXEC) is run by /bin/sh.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::engine {

/// The paths execvp would try for `file`, in order, with `path_env` the value of PATH (nullptr
/// when unset). Empty when `file` is empty (execvp fails with ENOENT).
[[nodiscard]] std::vector<std::string> exec_candidates(std::string_view file,
                                                       const char* path_env);

/// After execve of one candidate failed with `error`: whether execvp goes on with the next.
constexpr bool exec_search_goes_on(int error) {
  switch (error) {
    case EACCES:  // remembered: reported if nothing later succeeds
    case ENOENT:
    case ESTALE:
    case ENOTDIR:
    case ENODEV:     // a PATH element on an unreachable file system
    case ETIMEDOUT:
      return true;
    default:
      return false;
  }
}

}  // namespace redirect::engine
