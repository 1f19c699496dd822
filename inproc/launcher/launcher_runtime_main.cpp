// redirect-inproc-exec with the in-process runtime (built where redirect_inproc_core is, see
// loader.cmake): the hook decodes the configuration that `redirect run --backend inproc`, or
// the runtime's own exec of a static program, left in REDIRECT_INPROC_CONFIG and arms the
// runtime with it (inproc/arm.h), remembering the program's real path for the runtime to
// exec when the program re-executes /proc/self/exe (inproc/launched_program.h). Started
// without that variable, the launcher still runs the program, and says on stderr that it runs
// unredirected.
#include <cstdio>
#include <cstdlib>

#include "inproc/arm.h"
#include "inproc/launched_program.h"
#include "inproc/launcher/launcher.h"

namespace {

using redirect::inproc::LaunchedProgram;

std::optional<std::string> arm_runtime(const LaunchedProgram& program) {
  const std::string variable(redirect::inproc::kConfigVariable);
  const char* text = std::getenv(variable.c_str());
  if (text == nullptr) {
    std::fprintf(stderr, "redirect-inproc-exec: notice: %s runs unredirected: %s is not set\n",
                 program.path, variable.c_str());
    return std::nullopt;
  }
  if (char* real = realpath(program.path, nullptr)) {
    redirect::inproc::set_launched_program(real);
    std::free(real);
  }
  std::string error;
  const auto config = redirect::inproc::decode_config(text, error);
  if (!config) return variable + ": " + error;
  return redirect::inproc::arm(*config);
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  return redirect::inproc::launch(argc, argv, envp, &arm_runtime);
}
