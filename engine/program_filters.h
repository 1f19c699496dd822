// The seccomp filters the traced program installed itself, kept so that redirect can ask,
// before it injects a syscall (the mmap of its scratch memory), whether those filters would
// let it through (filter_probe.h): a filter is inherited across fork and execve, so a process
// that installed an allow-list without mmap and then exec'd has no scratch mapping and must
// never be handed an injected mmap, which its filter would answer by killing it. redirect
// sees each install at the entry of seccomp() or prctl(PR_SET_SECCOMP) (own_traps.h), where
// the program's sock_fprog is still in its memory; the filters themselves, once installed,
// cannot be read back without CAP_SYS_ADMIN (PTRACE_SECCOMP_GET_FILTER), and not at all by a
// tracer that runs under a filter itself. The surprise: filters belong to threads, not
// processes; they are kept here per process (thread group), so a filter one thread installed
// without SECCOMP_FILTER_FLAG_TSYNC counts for its siblings too, which can only make redirect
// more careful, never less.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/abi.h"
#include "engine/regs.h"

namespace redirect::engine {

/// One filter as the program installed it.
struct InstalledFilter {
  bool strict = false;            ///< SECCOMP_MODE_STRICT (no program)
  std::vector<sock_filter> code;  ///< the classic-BPF program (empty when strict)
};

/// What the filters of a process do to the calls that make redirect's scratch mapping, as a
/// probe found (filter_probe.h).
struct ProbeStep {
  enum class Kind : std::uint8_t {
    ran,          ///< the call returned `result` (a filter's SECCOMP_RET_ERRNO included)
    killed,       ///< the process died of `signal` at this call (SIGSYS: a filter killed it)
    not_reached,  ///< an earlier step did not return, or the probe could not start
  };
  Kind kind = Kind::not_reached;
  long result = 0;
  int signal = 0;
  /// The call went through and succeeded: the same injected call would too.
  [[nodiscard]] bool succeeded() const { return kind == Kind::ran && result == 0; }
};
struct ProbeResult {
  ProbeStep mmap, name, seal;  ///< the scratch calls, in the order they are injected
  /// A recorded filter could not be installed in the probe (or the probe could not start):
  /// nothing is known, and nothing may be injected.
  bool unknown = false;
};

/// The filters of one process, oldest first; shared (and never changed) by the processes
/// that inherited them. The probes' answers are kept with them, one per ABI.
struct FilterChain {
  std::vector<InstalledFilter> filters;
  mutable std::array<std::optional<ProbeResult>, abi_count> probed;
};

class ProgramFilters {
 public:
  /// `tid` is at the entry of `e`, a seccomp() or prctl() call that installs a filter (or
  /// strict mode), about to run: records it for tid's process. A program that cannot be read
  /// (a bad pointer or length, which the kernel refuses too) is not recorded. Counted even if
  /// the kernel then refuses it for another reason: that makes redirect more careful, no
  /// more. Other seccomp operations are ignored.
  void on_install(pid_t tid, const SyscallEntry& e);
  /// `child` (a new thread or process) was created by `parent`: a new process inherits the
  /// filters of its parent's process, and a pid reused forgets what it held.
  void on_new_task(pid_t parent, pid_t child);
  /// The filters recorded for `tid`'s process, or null when none (the usual case, and then
  /// nothing is read). Reads /proc/TID/status for the process when any are recorded.
  [[nodiscard]] std::shared_ptr<const FilterChain> of(pid_t tid) const;
  /// How many filters are recorded for `tid`'s process.
  [[nodiscard]] std::size_t count(pid_t tid) const {
    auto chain = of(tid);
    return chain ? chain->filters.size() : 0;
  }

 private:
  std::unordered_map<pid_t, std::shared_ptr<const FilterChain>> by_process_;
};

/// The thread group (process) of thread `tid`, from /proc/TID/status; `tid` itself when that
/// cannot be read (the thread is gone).
[[nodiscard]] pid_t thread_group_of(pid_t tid);

}  // namespace redirect::engine
