// See launched_program.h. The string is made before the handler is armed and never freed.
#include "inproc/launched_program.h"

#include <sys/syscall.h>

#include "inproc/notice.h"
#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

const std::string* program_path = nullptr;

}  // namespace

void set_launched_program(std::string absolute_path) {
  program_path = new std::string(std::move(absolute_path));
}

const char* launched_program() { return program_path ? program_path->c_str() : nullptr; }

bool names_own_exe(std::string_view path) {
  if (path == "/proc/self/exe" || path == "/proc/thread-self/exe") return true;
  constexpr std::string_view prefix = "/proc/", suffix = "/exe";
  if (!path.starts_with(prefix) || !path.ends_with(suffix)) return false;
  char buf[24];
  return path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()) ==
         decimal(raw_syscall(SYS_getpid), buf);
}

}  // namespace redirect::inproc
