// The file system as one tracee's root directory shows it, for rules::program_view(): lstat and
// readlink of a host path, through /proc/TID/root once some tracee may have changed its root, so
// a chrooted thread's paths are looked up where its kernel walks would look them up. Paid by
// paths that contain ".." and by rewrites of prefix rules (one openat2 with
// RESOLVE_NO_SYMLINKS and a close say whether the rewritten path has any link to follow).
#pragma once

#include <sys/types.h>

#include "rules/program_view.h"

namespace redirect::engine {

class ProcRootFs final : public rules::HostFs {
 public:
  /// The thread whose root the next calls use; `own_root`: it is known to be redirect's.
  void set_thread(pid_t tid, bool own_root) {
    tid_ = tid;
    own_root_ = own_root;
  }
  rules::NodeKind lstat(const char* host_path) override;
  std::optional<std::size_t> readlink(const char* host_path, std::span<char> out) override;
  bool walks_without_links(const char* host_path) override;

 private:
  // `host_path` as redirect names it: itself, or "/proc/TID/root" + it in path_; null when it
  // does not fit.
  const char* under_root(const char* host_path);
  pid_t tid_ = 0;
  bool own_root_ = false;
  char path_[4096 + 32];
};

}  // namespace redirect::engine
