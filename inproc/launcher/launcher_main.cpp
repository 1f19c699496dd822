// redirect-inproc-exec: the static launcher of the in-process backend (launcher.h). Until the
// in-process runtime is linked in, its hook arms nothing and says so on stderr, naming the
// program, so a program run through it is never unredirected without a word.
#include <cstdio>

#include "inproc/launcher/launcher.h"

namespace {

std::optional<std::string> arm_nothing(const redirect::inproc::LaunchedProgram& program) {
  std::fprintf(stderr,
               "redirect-inproc-exec: notice: %s runs unredirected: this launcher was built "
               "without the in-process runtime\n",
               program.path);
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  return redirect::inproc::launch(argc, argv, envp, &arm_nothing);
}
