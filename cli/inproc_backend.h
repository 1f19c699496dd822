// `redirect --backend inproc|auto`: the run without ptrace. redirect checks the rules as for
// any run, finds libredirect-inproc.so, and execs PROG with LD_AUDIT naming it and the
// configuration (inproc/arm.h) in the environment; the library arms Syscall User Dispatch in
// PROG before its libraries load. redirect is gone once PROG runs, so PROG's exit status and
// signals are its own. `auto` runs under ptrace when a child can be traced (PTRACE_SEIZE of a
// probe child), else in-process with a one-line notice.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/env_expand.h"

namespace redirect::cli {

/// The environment as the rule loader sees it, remembering every name it looked up and the
/// value it found, for the in-process backend to expand the same way in exec'd programs.
class RecordingEnv {
 public:
  [[nodiscard]] rules::EnvLookup lookup();
  [[nodiscard]] const std::vector<std::pair<std::string, std::optional<std::string>>>& seen()
      const {
    return seen_;
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> seen_;
};

/// Why --backend inproc cannot work here (another arch, a kernel without Syscall User
/// Dispatch), or nullopt. Probes the kernel with a child process.
[[nodiscard]] std::optional<std::string> inproc_unsupported();

/// Whether this process may trace a child: PTRACE_SEIZE of a probe child succeeds.
[[nodiscard]] bool can_trace_children();

/// Where the runtime sends its decision records (inproc_collector.h), and --dry-run.
struct RecordTo {
  int fd = -1;  ///< the program's end of redirect's socket; -1: nothing is recorded
  bool dry_run = false;
  bool trace = false;           ///< `redirect trace`: every path call recorded
  std::string host_write_root;  ///< trace --no-host-writes: ROOT
};

/// Execs `command` in-process-redirected by the rules of `rule_paths` (already checked), with
/// `env` the @{VAR}s they used. Returns only on failure, with redirect's exit status (125, or
/// 126/127 for a program that cannot be run), having said why on stderr.
[[nodiscard]] int exec_inproc(const std::vector<std::string>& rule_paths,
                              const RecordingEnv& env, std::vector<std::string>& command,
                              RecordTo record = {});

/// "--backend inproc: works on x86_64 with Linux >= 5.11 (...)": for --version.
[[nodiscard]] std::string inproc_support_line();

}  // namespace redirect::cli
