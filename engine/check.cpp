// See check.h.
#include "engine/check.h"

#include <cstdio>
#include <cstdlib>

namespace redirect::engine {

void check_failed(const char* cond, const char* file, int line, pid_t pid) {
  std::fprintf(stderr, "redirect: internal error at %s:%d (pid %d): check failed: %s\n", file,
               line, static_cast<int>(pid), cond);
  std::abort();
}

}  // namespace redirect::engine
