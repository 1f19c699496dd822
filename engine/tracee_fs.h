// The file system as one tracee's root directory shows it, for rules::program_view(): lstat and
// readlink of a host path through /proc/TID/root, so a chrooted thread's paths are looked up
// where its kernel walks would look them up. Paid only by paths that contain "..".
#pragma once

#include <sys/types.h>

#include "rules/program_view.h"

namespace redirect::engine {

class ProcRootFs final : public rules::HostFs {
 public:
  /// The thread whose root the next calls use.
  void set_thread(pid_t tid) { tid_ = tid; }
  rules::NodeKind lstat(const char* host_path) override;
  std::optional<std::size_t> readlink(const char* host_path, std::span<char> out) override;

 private:
  // "/proc/TID/root" + host_path into path_; false when it does not fit.
  bool under_root(const char* host_path);
  pid_t tid_ = 0;
  char path_[4096 + 32];
};

}  // namespace redirect::engine
