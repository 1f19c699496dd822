// The runtime's side of the decision records (call_record.h): sending them to redirect, which
// formats the --log lines and keeps the --stats counters. Nothing is sent unless redirect
// collects (Config::record_fd), and only for a call some rule had a say in.
// Choices: a send blocks until redirect's socket has room, as a ptrace stop waits for its
// tracer, so no record is lost to a slow log; it carries MSG_NOSIGNAL, so a redirect that died
// never raises SIGPIPE in the program, and the send fails (EPIPE, ECONNREFUSED) instead. The
// descriptor is used only while it names the socket redirect made (device and inode, checked
// before each send), so a program that closed it and reused the number never gets our bytes.
// A record that cannot be sent is counted and the count travels with the next one that is
// (RecordHeader::lost_before), for redirect to say; the first such loss in a process is also
// said once, as a notice, while the notice descriptor still works.
#pragma once

#include "inproc/call_record.h"
#include "inproc/path_rewrite.h"
#include "inproc/runtime.h"

namespace redirect::inproc {

/// Sends `record` (a call made, or failed by the rules) with the call's result. Handler-safe.
void send_call_record(const Runtime& rt, CallRecord& record, long result);

/// Makes exec `call` (its paths already decided into `record`) with exec_with_runtime(); a
/// recorded exec is sent before the call, and when the call returns (it failed) an
/// exec_failed record with its result follows. Returns the exec's result.
long exec_with_record(const Runtime& rt, CallArgs& call, CallRecord& record);

/// For a call the handler answers without apply_rules() (getcwd read back): when the trace
/// records call `nr`, sends its record (no path argument, its `result`). Returns `result`.
/// Handler-safe.
long record_traced_result(const Runtime& rt, long nr, long result);

/// Tells redirect that this process armed the runtime: the exec that started it succeeded.
void send_armed_record(const Runtime& rt);

}  // namespace redirect::inproc
