// Running a static program through the launcher (see inproc_static.h).
#include "cli/inproc_static.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "cli/exit_status.h"
#include "inproc/launcher/launcher.h"

namespace redirect::cli {
namespace {

constexpr const char* kLauncherName = "redirect-inproc-exec";

}  // namespace

bool is_static_program(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Elf64_Ehdr eh;
  bool result = false;
  if (::pread(fd, &eh, sizeof eh, 0) == sizeof eh && std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
      eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr)) {
    result = true;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph;
      if (::pread(fd, &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * sizeof ph)) != sizeof ph ||
          ph.p_type == PT_INTERP)
        result = false;
    }
  }
  ::close(fd);
  return result;
}

std::optional<std::string> launcher_refusal(const std::string& path, const std::string& launcher,
                                            const std::vector<std::string>& looked) {
  if (launcher.empty())
    return fmt::format("{}: a static program needs the launcher, {} not found (looked for {}; "
                       "set REDIRECT_INPROC_LAUNCHER to its path)",
                       path, kLauncherName, fmt::join(looked, ", "));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  const bool uid = (st.st_mode & S_ISUID) && st.st_uid != ::geteuid();
  const bool gid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != ::getegid();
  if (!uid && !gid) return std::nullopt;
  return fmt::format("{}: a set-{}-ID static program: the in-process launcher would run it "
                     "without its owner's privilege; use --backend ptrace",
                     path, uid ? "user" : "group");
}

std::optional<std::string> find_launcher(const std::string& library,
                                         std::vector<std::string>& looked) {
  if (const char* over = std::getenv("REDIRECT_INPROC_LAUNCHER")) {
    looked.push_back(over);
    if (::access(over, X_OK) == 0) return std::filesystem::absolute(over).lexically_normal().string();
    return std::nullopt;
  }
  const std::filesystem::path beside = std::filesystem::path(library).parent_path() / kLauncherName;
  looked.push_back(beside.string());
  if (::access(beside.c_str(), X_OK) == 0) return beside.string();
  return std::nullopt;
}

int exec_launcher(const std::string& launcher, const std::string& path,
                  std::vector<std::string>& command) {
  ::setenv(inproc::exec_variable, path.c_str(), 1);
  std::vector<char*> argv;
  for (std::string& w : command) argv.push_back(w.data());
  argv.push_back(nullptr);
  ::execv(launcher.c_str(), argv.data());
  const int err = errno;
  fmt::print(stderr, "redirect: cannot run {} (the launcher of the static program {}): {}\n",
             launcher, path, std::strerror(err));
  return exit_tool_failed;
}

}  // namespace redirect::cli
