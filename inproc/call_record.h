// The decision records of the in-process backend: what the SIGSYS handler tells redirect about
// a call the rules had a say in, for --log, --stats and --dry-run, and about every path call
// (%file, %exec) for `redirect trace` (traced_calls.h). The runtime sends one
// message per call on a SOCK_SEQPACKET socket redirect made before it exec'd the program
// (Config::record_fd), so a record is never split or merged with another: a RecordHeader
// (fixed layout, the same build writes and reads it) followed by the strings of each argument
// in order (passed, resolved, replacement, why), their lengths in the header. No formatting
// happens in the program: redirect formats the lines with the ptrace run's DecisionLog.
// The surprise: an execve that succeeds never returns to the handler, so its record is sent
// before the call (RecordKind::exec) and its result comes later: `armed` from the new program
// (0), or `exec_failed` with the error when the exec returns.
#pragma once

#include <array>
#include <cstdint>

#include "rules/action.h"
#include "rules/sys.h"

namespace redirect::inproc {

inline constexpr std::uint32_t kRecordMagic = 0x52444332;  // "RDC2": bumped with the layout

enum class RecordKind : std::uint8_t {
  call,         ///< a call decided and made (or failed): `result` is its result
  exec,         ///< an exec about to be made: its result follows (armed or exec_failed)
  exec_failed,  ///< the exec of the last `exec` record of this thread failed with `result`
  armed,        ///< a program armed the runtime (the exec that started it succeeded)
};

/// What became of a call, as engine::Applied.
enum class RecordApplied : std::uint8_t { nothing, patched, failed };

enum RecordArgFlag : std::uint8_t {
  kSame = 1,         ///< a rewrite that gives back the path it matched
  kTargetKept = 2,   ///< a symlink target kept as written (a link made inside a bundle)
  kSocket = 4,       ///< an AF_UNIX address
  kConfined = 8,     ///< an openat2 confined to its dirfd: the rewrite was dropped
  kMatchError = 16,  ///< the pattern gave up on the string (PCRE2 limit)
  kResolved = 32,    ///< the resolved string is present (else: none)
};

// No member initialisers: the handler's buffers hold a record on every trapped call, and only
// a call that is recorded may pay for clearing one (value-initialise: `RecordHeader h{}`).
struct RecordArg {
  std::uint8_t arg;
  std::uint8_t action;  ///< rules::Action
  std::uint8_t flags;   ///< RecordArgFlag
  std::uint8_t pad;
  std::int32_t rule;   ///< CompiledRule::id, -1 when no rule matched
  std::int32_t error;   ///< Decision::error
  /// Lengths of the strings that follow the header, in this order.
  std::uint16_t passed_len, resolved_len, replacement_len, why_len;
};

struct RecordHeader {
  std::uint32_t magic;
  RecordKind kind;
  std::uint8_t arg_count;
  RecordApplied applied;
  std::uint8_t call_action;  ///< a whole-call rule's rules::Action (none: 0)
  std::int32_t tid;
  std::int32_t pid;          ///< getpid(): for exec and armed records only
  std::int32_t nr;           ///< the syscall number (x86_64)
  std::int32_t call_rule;   ///< the whole-call rule's id, -1 when none
  std::int32_t call_error;
  std::int32_t fail_errno;   ///< RecordApplied::failed: the errno the call failed with
  std::uint32_t unreadable;  ///< string arguments left to the kernel (unreadable)
  std::uint32_t lost_before; ///< records this process could not send before this one
  std::int64_t result;       ///< the kernel's result (call, exec_failed)
  std::uint64_t open_flags;  ///< a traced call's open flags (traced_calls.h open_flags_of)
  char comm[16];            ///< the thread's name (PR_GET_NAME)
  std::array<RecordArg, rules::kSyscallArgs> args;
};

/// A header with nothing decided yet: no whole-call rule, no argument, applied nothing.
inline RecordHeader blank_header() {
  RecordHeader h{};
  h.magic = kRecordMagic;
  h.call_action = static_cast<std::uint8_t>(rules::Action::none);
  h.call_rule = -1;
  return h;
}

/// The most strings a record carries after its header.
inline constexpr std::size_t kRecordStrings = 4 * rules::kSyscallArgs;

/// A record being built in the handler: the header and the strings (in the handler's buffers),
/// sent once the call's result is known. `wanted` is false for a call no rule had a
/// say in and `redirect trace` does not record: nothing is sent for it.
struct CallRecord {
  struct Piece {  // a string_view without its constructor, for the same reason
    const char* data;
    std::size_t size;
  };
  RecordHeader header;
  std::array<Piece, kRecordStrings> strings;  // [4 * k + 0..3]
  bool wanted;
};

}  // namespace redirect::inproc
