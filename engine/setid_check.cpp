// SetIdCheck (see setid_check.h): one stat of /proc/TID/exe per exec; /proc/TID/status only for
// a set-id program.
#include "engine/setid_check.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace redirect::engine {
namespace {

struct Creds {
  unsigned euid = 0, egid = 0;
  unsigned long long cap_eff = 0;
};

// The effective uid and gid and capabilities of `tid`, from /proc/TID/status.
std::optional<Creds> creds_of(pid_t tid) {
  std::FILE* f = std::fopen(fmt::format("/proc/{}/status", tid).c_str(), "re");
  if (!f) return std::nullopt;
  Creds c;
  int found = 0;
  char line[256];
  unsigned real = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "Uid: %u %u", &real, &c.euid) == 2) ++found;
    if (std::sscanf(line, "Gid: %u %u", &real, &c.egid) == 2) ++found;
    if (std::sscanf(line, "CapEff: %llx", &c.cap_eff) == 1) ++found;
  }
  std::fclose(f);
  if (found != 3) return std::nullopt;
  return c;
}

}  // namespace

void SetIdCheck::on_exec(pid_t tid) {
  if (said_) return;
  const std::string exe = fmt::format("/proc/{}/exe", tid);
  struct stat st;
  if (::stat(exe.c_str(), &st) != 0) return;
  const bool setuid = st.st_mode & S_ISUID;
  // Set-group-ID without group execute marks mandatory locking, not a set-id program.
  const bool setgid = (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP);
  const bool caps = ::getxattr(exe.c_str(), "security.capability", nullptr, 0) > 0;
  if (!setuid && !setgid && !caps) return;
  std::optional<Creds> c = creds_of(tid);
  if (!c) return;
  std::string lost;
  if (setuid && c->euid != st.st_uid) lost = fmt::format("set-user-ID (uid {})", st.st_uid);
  else if (setgid && c->egid != st.st_gid) lost = fmt::format("set-group-ID (gid {})", st.st_gid);
  else if (caps && c->cap_eff == 0) lost = "given file capabilities";
  if (lost.empty()) return;  // it has them: redirect runs with CAP_SYS_PTRACE, or as that user
  char path[PATH_MAX];
  ssize_t n = ::readlink(exe.c_str(), path, sizeof path - 1);
  const std::string name = n > 0 ? std::string(path, static_cast<std::size_t>(n)) : exe;
  said_ = true;
  notices_.say(fmt::format(
      "pid {}: {} is {} but runs without that privilege: the kernel grants none to a traced "
      "program (see \"Set-id programs\" in redirect's rules.md); further ones are not reported",
      tid, name, lost));
}

}  // namespace redirect::engine
