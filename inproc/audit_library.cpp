// libredirect-inproc.so: loaded with LD_AUDIT, in a link namespace of its own, before the
// program's libraries, so its constructor arms the backend before any of their constructors
// runs (with LD_PRELOAD, DT_NEEDED libraries would open their files unredirected first). Its
// namespace has a libc of its own that allocates by mmap, so allocating here is safe. A
// program that cannot be armed is not run unredirected: it stops with redirect's exit status
// 125 and says why.
#include <link.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "inproc/arm.h"

namespace {

[[noreturn]] void refuse(const std::string& why) {
  char exe[4096];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = '\0';
  std::fprintf(stderr, "redirect: pid %d: %s: cannot run under --backend inproc: %s\n",
               static_cast<int>(::getpid()), exe, why.c_str());
  std::fflush(stderr);
  ::_exit(125);
}

__attribute__((constructor)) void arm_from_environment() {
  using namespace redirect::inproc;
  const char* text = std::getenv(std::string(kConfigVariable).c_str());
  if (text == nullptr)
    refuse(std::string(kConfigVariable) + " is not set (the library is loaded by redirect)");
  std::string error;
  std::optional<Config> config = decode_config(text, error);
  if (!config) refuse(std::string(kConfigVariable) + ": " + error);
  if (std::optional<std::string> why = arm(*config)) refuse(*why);
}

}  // namespace

/// The rtld-audit interface: any version will do, we use none of its callbacks.
extern "C" __attribute__((visibility("default"))) unsigned int la_version(unsigned int version) {
  return version <= LAV_CURRENT ? version : LAV_CURRENT;
}
