// `redirect --backend inproc` with --log, --stats or --dry-run: redirect stays as the program's
// parent and collects the decision records the runtime sends (inproc/record_channel.h) on a
// SOCK_SEQPACKET socket pair made before the program is exec'd; the program's end of it is
// inherited at fd 200 or above by every process it starts. redirect forwards the signals it
// is sent, mirrors job-control stops and ends with the program's exit status or death signal
// as a ptrace run does (engine/signals.h). Once the program has ended, the records already
// queued are read and redirect returns: what the program left running is not waited for, and
// its later records fail to send (counted in that process, not seen here); with wait_all
// (`trace --wait-all`) they are collected until the last holder of the socket is gone.
// When none of the three is asked, redirect execs the program itself (exec_inproc): no socket,
// no record, no process of ours.
#pragma once

#include <string>
#include <vector>

#include "cli/inproc_backend.h"
#include "cli/inproc_records.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/tracer.h"
#include "rules/matcher.h"

namespace redirect::cli {

/// How the collection of a trace ended (ProgramEndWatch).
struct CollectionEnd {
  /// The processes still holding the program's end of the socket, as "name[pid]": at the
  /// program's end, what it left running; with wait_all, those an end signal killed.
  std::vector<std::string> left;
  int end_signal = 0;  ///< wait_all: SIGINT, SIGTERM or SIGHUP that ended it; 0: none did
};

/// `redirect trace`: told once when the collection is over, every record read (the report
/// is written then).
class ProgramEndWatch {
 public:
  virtual ~ProgramEndWatch() = default;
  /// The program ended with `outcome`. False: what had to be written was not (said), and
  /// redirect ends with 125.
  virtual bool ended(const engine::RunOutcome& outcome, const CollectionEnd& end) = 0;
};

struct CollectedRun {
  const std::vector<std::string>* rule_paths = nullptr;
  const RecordingEnv* env = nullptr;
  const rules::Matcher* rules = nullptr;  ///< the x86_64 rules, for rule ids and syscall names
  bool dry_run = false;
  engine::DecisionLog* log = nullptr;  ///< null without --log
  // `redirect trace` (else the defaults):
  bool trace = false;            ///< every path call is recorded (inproc/traced_calls.h)
  std::string host_write_root{};  ///< --no-host-writes: ROOT (rules/host_writes.h)
  RecordSink* sink = nullptr;    ///< receives every record too
  ProgramEndWatch* watch = nullptr;
  /// Collect after the program's end until every process holding the socket has closed it
  /// (exited), or SIGINT, SIGTERM or SIGHUP kills them.
  bool wait_all = false;
};

/// Runs `command` in-process-redirected as a child and collects its records into `run.log`,
/// `stats` and `run.sink`, then tells `run.watch`. Returns redirect's exit status: the program's own, 128+N for death by signal N,
/// 125/126/127 as exec_inproc says (said on stderr), 125 when the socket or fork fails.
[[nodiscard]] int run_inproc_collected(const CollectedRun& run, std::vector<std::string>& command,
                                       engine::Stats& stats, engine::Notices& notices);

}  // namespace redirect::cli
