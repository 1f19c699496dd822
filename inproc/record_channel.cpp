// The runtime's sends of decision records (see record_channel.h). All raw system calls:
// this runs in the SIGSYS handler, on the thread's private stack.
#include "inproc/record_channel.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <atomic>
#include <cerrno>

#include "inproc/exec_inject.h"
#include "inproc/notice.h"
#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

// Records of this process not sent yet; a forked child starts with its parent's count, which
// is then said by whichever of them sends next (a count, not a list: no record is named).
std::atomic<std::uint32_t> g_lost{0};
std::atomic<bool> g_said_lost{false};

bool descriptor_is_ours(const Config& c) {
  struct stat st;
  return raw_syscall(SYS_fstat, c.record_fd, &st) == 0 && st.st_dev == c.record_dev &&
         st.st_ino == c.record_ino;
}

void say_lost_once(const Runtime& rt, long error) {
  if (g_said_lost.exchange(true)) return;
  char pid[24], err[24];
  notice(rt, {"pid ", decimal(raw_syscall(SYS_getpid), pid),
              ": a decision record could not be sent to redirect (errno ", decimal(error, err),
              rt.config.trace ? "): the trace misses this process's calls from here on"
                              : "): --log and --stats miss this process's decisions from here on"});
}

// Sends the header and the non-empty strings of `r` as one message.
void send(const Runtime& rt, RecordHeader& h, const CallRecord* r) {
  const Config& c = rt.config;
  if (!descriptor_is_ours(c)) {
    g_lost.fetch_add(1);
    say_lost_once(rt, EBADF);
    return;
  }
  h.tid = static_cast<std::int32_t>(raw_syscall(SYS_gettid));
  raw_syscall(SYS_prctl, PR_GET_NAME, h.comm);
  h.lost_before = g_lost.exchange(0);
  iovec iov[1 + kRecordStrings];
  std::size_t n = 0;
  iov[n++] = {&h, sizeof h};
  if (r != nullptr)
    for (std::size_t i = 0; i < 4u * h.arg_count; ++i)
      if (r->strings[i].size != 0)
        iov[n++] = {const_cast<char*>(r->strings[i].data), r->strings[i].size};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = n;
  long sent;
  do sent = raw_syscall(SYS_sendmsg, c.record_fd, &msg, MSG_NOSIGNAL);
  while (sent == -EINTR);
  if (sent < 0) {
    g_lost.fetch_add(1 + h.lost_before);
    say_lost_once(rt, -sent);
  }
}

}  // namespace

void send_call_record(const Runtime& rt, CallRecord& record, long result) {
  record.header.kind = RecordKind::call;
  record.header.result = result;
  send(rt, record.header, &record);
}

long exec_with_record(const Runtime& rt, CallArgs& call, CallRecord& record) {
  const bool recorded = rt.config.record_fd >= 0 && record.wanted;
  // Only a rewritten exec waits for its result (the others' lines are written as they are),
  // and every exec a trace records: its event needs the result.
  const bool waits = recorded && (record.header.applied == RecordApplied::patched ||
                                  rt.traced.traced(record.header.nr));
  if (recorded) {
    record.header.kind = waits ? RecordKind::exec : RecordKind::call;
    record.header.pid = static_cast<std::int32_t>(raw_syscall(SYS_getpid));
    send(rt, record.header, &record);
  }
  const long result = exec_with_runtime(rt, call);
  if (waits) {
    RecordHeader failed = blank_header();
    failed.kind = RecordKind::exec_failed;
    failed.nr = record.header.nr;
    failed.result = result;
    send(rt, failed, nullptr);
  }
  return result;
}

long record_traced_result(const Runtime& rt, long nr, long result) {
  if (rt.config.record_fd < 0 || !rt.traced.traced(nr)) return result;
  RecordHeader h = blank_header();
  h.kind = RecordKind::call;
  h.nr = static_cast<std::int32_t>(nr);
  h.result = result;
  send(rt, h, nullptr);
  return result;
}

void send_armed_record(const Runtime& rt) {
  if (rt.config.record_fd < 0) return;
  RecordHeader armed = blank_header();
  armed.kind = RecordKind::armed;
  armed.pid = static_cast<std::int32_t>(raw_syscall(SYS_getpid));
  send(rt, armed, nullptr);
}

}  // namespace redirect::inproc
