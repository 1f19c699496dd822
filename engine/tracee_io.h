// Everything the rewriter does to a stopped tracee, behind one interface: read its strings and
// bytes, write scratch, change registers, read a result, and name the directory a relative
// path is relative to. The tracer plugs in the real thing (ptrace, process_vm_*, /proc); unit
// tests plug in a fake memory and register file, so decide-then-patch is tested without ptrace
// (ninja fakes the disk the same way behind DiskInterface). The surprise the /proc part relies
// on: /proc/TID/cwd and /proc/TID/fd/N name what one *thread* sees (a thread can leave its
// process's working directory with unshare(CLONE_FS)), and readlink on them prints the path
// from the reader's root, with " (deleted)" appended for a removed directory and a
// "pipe:[123]"-style text for an fd that is no file at all.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/arch/arch.h"
#include "engine/cwd_names.h"
#include "engine/proc_links.h"
#include "engine/regs.h"
#include "engine/remote_mem.h"

namespace redirect::engine {

/// The directory a relative path is relative to, as named by the kernel.
struct DirName {
  enum class Status : std::uint8_t {
    ok,       ///< `length` bytes of an absolute path, NUL after them
    unnamed,  ///< it cannot be named: `why` says why (deleted, not a file, too long...)
    gone,     ///< the tracee died
  };
  Status status = Status::unnamed;
  std::size_t length = 0;
  std::string_view why;  ///< a static text
};

class TraceeIo {
 public:
  virtual ~TraceeIo() = default;
  /// read_c_string() (remote_mem.h): same contract.
  virtual StringRead read_string(pid_t tid, RemotePtr at, std::span<char> buf) = 0;
  /// read_bytes() (remote_mem.h): same contract.
  virtual bool read_bytes(pid_t tid, RemotePtr at, std::span<char> out) = 0;
  /// write_remote() (remote_mem.h): same contract.
  virtual int write(pid_t tid, std::span<const RemoteWrite> pieces) = 0;
  /// RegPatch::apply() (regs.h): same contract.
  virtual int apply(pid_t tid, const RegPatch& patch) = 0;
  /// read_result() (regs.h): same contract.
  virtual int read_result(pid_t tid, const arch::Personality& p, long& out) = 0;
  /// Names the working directory of thread `tid` (no dirfd) or the directory open on its fd
  /// `dirfd`, into `out`. Never throws.
  virtual DirName name_directory(pid_t tid, std::optional<int> dirfd, std::span<char> out) = 0;
  /// Whether fd `fd` of `tid` is open on a directory (false when it is not, or is not open).
  virtual bool fd_is_directory(pid_t tid, int fd) = 0;
  /// Whether `tid`'s root directory is the tracer's own: if not, the names the kernel gives us
  /// are not the ones the tracee's absolute paths use.
  virtual bool shares_our_root(pid_t tid) = 0;
};

/// The real tracee: ptrace, process_vm_readv/writev and /proc.
class PtraceIo final : public TraceeIo {
 public:
  StringRead read_string(pid_t tid, RemotePtr at, std::span<char> buf) override;
  bool read_bytes(pid_t tid, RemotePtr at, std::span<char> out) override;
  int write(pid_t tid, std::span<const RemoteWrite> pieces) override;
  int apply(pid_t tid, const RegPatch& patch) override;
  int read_result(pid_t tid, const arch::Personality& p, long& out) override;
  DirName name_directory(pid_t tid, std::optional<int> dirfd, std::span<char> out) override;
  bool fd_is_directory(pid_t tid, int fd) override;
  bool shares_our_root(pid_t tid) override;
  /// The kept names of working directories, for the tracer to tell of changes (cwd_names.h).
  [[nodiscard]] CwdNames& cwd_names() { return cwd_; }

 private:
  ProcLinks links_;
  CwdNames cwd_;
};

}  // namespace redirect::engine
