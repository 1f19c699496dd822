// The one entry point of the in-process backend (`--backend inproc`): arm Syscall User Dispatch
// in the calling process with redirect's SIGSYS handler and the compiled rules. Two callers,
// one seam: the constructor of libredirect-inproc.so (loaded with LD_AUDIT into a dynamic
// program) and the static launcher, which maps a static program itself and calls arm() before
// it jumps to the program's entry. Both run before the program's own code, single-threaded,
// where allocating is still allowed; after arm() returns nothing of ours allocates, locks or
// calls libc (the handler runs inside whatever the program was doing).
//
// The configuration travels in one environment variable (kConfigVariable), written by
// `redirect run --backend inproc` and re-injected by the handler into every execve, so an
// exec'd child whose environment was emptied is armed with the same rules, expanded with the
// same @{VAR} values as at the start (a ptrace run expands them once, too).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redirect::inproc {

/// The environment variable holding encode_config()'s text.
inline constexpr std::string_view kConfigVariable = "REDIRECT_INPROC_CONFIG";

struct Config {
  /// Absolute paths of the rule files, in load order.
  std::vector<std::string> rule_files;
  /// Every @{NAME} the rules used and its value when redirect started (nullopt: unset): the
  /// rules expand with these, whatever the environment of the armed process says.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  /// The absolute path of libredirect-inproc.so: LD_AUDIT of every exec'd dynamic program.
  std::string library;
  /// The absolute path of redirect-inproc-exec, which an exec'd static program is run through
  /// (docs/inproc-static.md); empty when redirect found none.
  std::string launcher;
  /// An inherited descriptor on redirect's stderr for notices (a static program that runs
  /// unredirected, ...), with the device and inode it had: a notice is written only while the
  /// descriptor still names that file, never on a file the program put there. -1: none.
  int notice_fd = -1;
  unsigned long long notice_dev = 0, notice_ino = 0;
  /// An inherited SOCK_SEQPACKET descriptor on which redirect collects the decision records
  /// (call_record.h) for --log and --stats, with its device and inode, checked as the
  /// notice descriptor's are. -1: nobody collects, and nothing is recorded.
  int record_fd = -1;
  unsigned long long record_dev = 0, record_ino = 0;
  /// --dry-run: decide and record, but change and fail nothing.
  bool dry_run = false;
  /// `redirect trace`: every path call (%file, %exec) traps and is recorded, ruled or not
  /// (inproc/traced_calls.h); the rule files may then be none.
  bool trace = false;
  /// `trace --no-host-writes ROOT`: a write outside ROOT, /tmp and /var/tmp no rule decided
  /// fails with EROFS (rules/host_writes.h). Empty: writes run.
  std::string host_write_root;
};

/// `config` as one line of printable text (fields percent-encoded), for kConfigVariable.
[[nodiscard]] std::string encode_config(const Config& config);

/// encode_config()'s text back; nullopt with `error` saying what is wrong with it.
[[nodiscard]] std::optional<Config> decode_config(std::string_view text, std::string& error);

/// Loads and compiles the rule files of `config` (the same loader and Matcher as a ptrace run),
/// installs the SIGSYS handler (raw rt_sigaction; SA_SIGINFO|SA_NODEFER|SA_ONSTACK with a
/// restorer in our allowed region) and arms Syscall User Dispatch for the calling thread, so
/// every syscall outside our own code traps. Call once, before the program's code runs and
/// before it has other threads. Returns nullopt when armed, else why not (rule file errors as
/// FILE:LINE:COL lines, "kernel has no Syscall User Dispatch (Linux >= 5.11, x86_64)", ...);
/// nothing is armed then.
[[nodiscard]] std::optional<std::string> arm(const Config& config);

}  // namespace redirect::inproc
