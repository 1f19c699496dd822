// apply_entry (see entry_patch.h). Cost: none unless something changes; then what
// SyscallPatcher costs (one write for every new string, a POKEUSER per register).
#include "engine/entry_patch.h"

#include <cerrno>

namespace redirect::engine {
namespace {

// Points the arguments that change at their new strings (a socket argument at its new
// address, with its length or msghdr link).
PatchOutcome point_changed_args(SyscallPatcher& patcher, UnixSocketPath& socket, Tracee& t,
                                const SyscallEntry& e, const EntryDecision& d, bool seccomp_stop) {
  std::array<std::uint8_t, rules::kSyscallArgs> regs{};
  std::array<std::span<const char>, rules::kSyscallArgs> bytes;
  RegValue length;
  PieceLink link;
  std::span<const RegValue> also;
  std::span<const PieceLink> links;
  unsigned count = 0;
  for (const ArgDecision& a : d.decided()) {
    if (!a.changes()) continue;
    std::string_view s = a.decision.replacement;
    bytes[count] = std::span<const char>(s.data(), s.size() + 1);  // with its NUL
    if (a.socket) {
      bytes[count] = socket.encode(*e.personality, a.base, s, length, link);
      length.arg = a.base.dirfd_reg;
      link.piece = static_cast<std::uint8_t>(count);
      if (a.base.kind == rules::ArgBase::Kind::sockaddr)
        also = std::span(&length, 1);
      else
        links = std::span(&link, 1);
    }
    regs[count++] = a.arg;
  }
  return patcher.point_args_at(t, e, d.syscall, std::span(regs.data(), count),
                               std::span(bytes.data(), count), also, links,
                               seccomp_stop);  // a rule's rewrite needs no exit stop
}

bool changes_any(const EntryDecision& d) {
  for (const ArgDecision& a : d.decided())
    if (a.changes()) return true;
  return false;
}

}  // namespace

void apply_entry(SyscallPatcher& patcher, UnixSocketPath& socket, Tracee& t,
                 const SyscallEntry& e, EntryDecision& d, bool seccomp_stop, bool dry_run) {
  if (dry_run) return;
  if (d.fail_errno != 0) {
    patcher.fail(t, e, d.syscall, d.fail_errno, seccomp_stop);
    d.applied = Applied::failed;
    return;
  }
  if (!changes_any(d)) return;
  const PatchOutcome written = point_changed_args(patcher, socket, t, e, d, seccomp_stop);
  if (written.restarted) {
    d.applied = Applied::restarted;
  } else if (written.error == ESRCH) {
    d.applied = Applied::gone;
  } else if (written.error != 0) {
    // No mapping and no room on a goroutine-safe stretch of stack, or a tiny sigaltstack:
    // failing loudly beats running the call unchanged.
    d.write_error = written.error;
    d.write_problem = written.why;
    d.fail_errno = written.error == ENOMEM ? ENOMEM : EFAULT;
    patcher.fail(t, e, d.syscall, d.fail_errno, seccomp_stop);
    d.applied = Applied::failed;
  } else {
    d.applied = Applied::patched;
  }
}

}  // namespace redirect::engine
