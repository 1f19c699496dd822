// The rules at one trapped call, in-process: read each path argument the rules name (fault
// safe: an unreadable pointer is left for the kernel to answer EFAULT), name it in the
// program's view (rules::ViewResolver over SelfFs), ask the Matcher, and point the argument at
// the new string. The same steps, in the same order, as engine/rewriter.cpp does under ptrace;
// the differences are where memory comes from (the caller's frame on the handler's private
// stack, so a nested trap has its own) and that nothing here allocates, locks or calls libc.
#pragma once

#include <climits>

#include <array>
#include <cstdint>

#include "inproc/call_record.h"
#include "inproc/runtime.h"
#include "inproc/socket_path.h"
#include "rules/sys.h"

namespace redirect::inproc {

/// The most capturing groups a pattern may have for the in-process backend: each call's
/// MatchState is made on the handler's stack with room for this many (arm() refuses more).
inline constexpr int kMaxCaptures = 255;

/// One call's arguments, as the program passed them and as they will be re-issued.
struct CallArgs {
  long nr = 0;
  std::array<long, 6> args{};
  int tid = 0;  ///< the calling thread's id (gettid), for reading its memory (program_copy.h)
};

/// The strings a rewrite hands the kernel; they must live until the call is re-issued.
struct RewriteBuffers {
  std::array<std::array<char, PATH_MAX>, rules::kSyscallArgs> in, resolved, out;
  std::array<char, PATH_MAX> dir;
  std::array<SocketArg, rules::kSyscallArgs> sockets;  // AF_UNIX addresses rewritten
  CallRecord record;  // what was decided, for redirect's log (filled only when it collects)
};

/// Applies the rules to `call` (x86_64 numbering): path arguments a rewrite changes now point
/// into `bufs`. Returns 0, or -errno when the call must fail without being made (a deny rule,
/// a rewrite that cannot be passed). When redirect collects decisions (Config::record_fd),
/// `bufs.record` says what was decided; under Config::dry_run nothing is changed or failed.
[[nodiscard]] long apply_rules(const Runtime& rt, CallArgs& call, RewriteBuffers& bufs);

/// Whether `len` bytes at `addr` can be read, page by page, without a fault: a probe with
/// rt_sigprocmask(-1, addr, NULL), which copies 8 bytes and then refuses the bad `how`.
[[nodiscard]] bool readable(const void* addr, std::size_t len);

}  // namespace redirect::inproc
