// process_has_ended (see process_ended.h): the state letter of /proc/PID/stat, which follows
// the last ')' (the command name may hold one).
#include "cli/process_ended.h"

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace redirect::cli {

bool process_has_ended(pid_t pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::FILE* f = std::fopen(path, "re");
  if (f == nullptr) return errno == ENOENT;
  char line[512];
  const bool read = std::fgets(line, sizeof line, f) != nullptr;
  std::fclose(f);
  if (!read) return false;
  const char* paren = std::strrchr(line, ')');
  if (paren == nullptr || paren[1] != ' ') return false;
  return paren[2] == 'Z' || paren[2] == 'X';
}

}  // namespace redirect::cli
