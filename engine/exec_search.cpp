// exec_candidates (see exec_search.h): glibc's execvpe loop, without the execve calls.
#include "engine/exec_search.h"

namespace redirect::engine {

std::vector<std::string> exec_candidates(std::string_view file, const char* path_env) {
  if (file.empty()) return {};
  if (file.find('/') != std::string_view::npos) return {std::string(file)};
  // glibc's default when PATH is unset: confstr(_CS_PATH).
  std::string_view path = path_env ? path_env : "/bin:/usr/bin";
  std::vector<std::string> out;
  for (;;) {
    std::size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    // An empty element means the current directory: the bare name, as glibc builds it.
    out.push_back(dir.empty() ? std::string(file) : std::string(dir) + '/' + std::string(file));
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return out;
}

}  // namespace redirect::engine
