// InterruptedCalls (see interrupted_calls.h). Costs nothing until a watched call is
// interrupted: then one read of /proc/TID/status at its signal stop, and for ERESTARTSYS under
// a handler one single step and one read of the signal frame.
#include "engine/interrupted_calls.h"

#include <sys/ptrace.h>
#include <sys/uio.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/arch/native.h"
#include "engine/regs.h"

namespace redirect::engine {
namespace {

constexpr long erestartsys = -512;
constexpr long erestartnointr = -513;

// Whether `tid`'s process has a handler for `sig` (SigCgt of /proc/TID/status, a hex mask
// with bit sig-1). False when it cannot be read: the tracee is dying, and a restart is then
// the outcome the log can least mislead with (the call is held until its thread's end).
bool has_handler(pid_t tid, int sig) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(tid));
  std::FILE* f = std::fopen(path, "re");
  if (!f) return false;
  char line[256];
  unsigned long long caught = 0;
  bool found = false;
  while (!found && std::fgets(line, sizeof line, f))
    found = std::sscanf(line, "SigCgt: %llx", &caught) == 1;
  std::fclose(f);
  return found && sig >= 1 && sig <= 64 && ((caught >> (sig - 1)) & 1u);
}

// The pointer-sized word at `at` in `tid`, sign-extended, or nullopt when unreadable.
std::optional<std::int64_t> read_word(pid_t tid, const arch::Personality& p, std::uint64_t at) {
  std::int64_t value = 0;
  iovec local{&value, static_cast<std::size_t>(p.pointer_size)};
  iovec remote{reinterpret_cast<void*>(at), local.iov_len};
  if (process_vm_readv(tid, &local, 1, &remote, 1, 0) != static_cast<ssize_t>(local.iov_len))
    return {};
  if (p.pointer_size == 4) value = static_cast<std::int32_t>(value);
  return value;
}

// The result register saved in the signal frame `tid` has just been stepped into, or nullopt
// when it cannot be read. The frame starts at the handler's stack pointer, read from the whole
// register block (aarch64 has no PTRACE_PEEKUSER of registers; an i386 program's esp is in
// the host's layout, zero-extended).
std::optional<long> saved_result(pid_t tid, const arch::Personality& p) {
  if (p.sigframe_result_offset == 0) return {};
  arch::native::UserRegs regs;
  if (read_whole_regs(tid, regs) != 0) return {};
  std::uint64_t sp = 0;
  std::memcpy(&sp, reinterpret_cast<const char*>(&regs) + p.sp_offset, sizeof sp);
  sp &= arch::pointer_mask(p);
  std::uint16_t offset = p.sigframe_result_offset;
  if (p.sigframe_puc_offset != 0) {
    const std::optional<std::int64_t> puc = read_word(tid, p, sp + p.sigframe_puc_offset);
    if (!puc) return {};
    const auto own_ucontext = static_cast<std::int64_t>(sp + p.sigframe_ucontext_offset);
    if ((*puc & static_cast<std::int64_t>(arch::pointer_mask(p))) != own_ucontext)
      offset = p.sigframe_legacy_result_offset;  // a handler without SA_SIGINFO
  }
  const std::optional<std::int64_t> value = read_word(tid, p, sp + offset);
  if (!value) return {};
  return static_cast<long>(*value);
}

}  // namespace

bool InterruptedCalls::hold(pid_t tid, const ExitStop& stop) {
  if (!stop.have_result || !is_restart_code(stop.result)) return false;
  held_[tid] = Held{stop, false};
  return true;
}

InterruptedCalls::Outcome InterruptedCalls::end(pid_t tid, std::optional<long> result) {
  auto node = held_.extract(tid);
  Outcome o;
  o.stop = node.mapped().stop;
  if (!result) {
    o.kind = Outcome::Kind::restarted;
    return o;
  }
  o.kind = Outcome::Kind::ended;
  o.stop.result = *result;
  o.stop.have_result = true;
  return o;
}

InterruptedCalls::Outcome InterruptedCalls::on_signal(pid_t tid, int sig) {
  auto it = held_.find(tid);
  if (it == held_.end() || sig == 0) return {};
  // No handler: the kernel restarts the call (or the signal ends the thread): the next entry
  // stop of this thread is the call again (on_entry()).
  if (!has_handler(tid, sig)) return {};
  const long code = it->second.stop.result;
  if (code == erestartnointr) return end(tid, std::nullopt);
  if (code != erestartsys) return end(tid, -EINTR);
  const arch::Personality* p = it->second.stop.plan.personality;
  if (!p || p->sigframe_result_offset == 0) {
    // SA_RESTART cannot be read here: the result is unknown, and said so ("?").
    Outcome o = end(tid, -EINTR);
    o.stop.have_result = false;
    return o;
  }
  it->second.stepping = true;
  return {Outcome::Kind::step, {}};
}

InterruptedCalls::Outcome InterruptedCalls::after_step(pid_t tid, int sig, bool& swallow) {
  swallow = false;
  auto it = held_.find(tid);
  if (it == held_.end() || !it->second.stepping) return {};
  it->second.stepping = false;
  const arch::Personality& p = *it->second.stop.plan.personality;
  std::optional<long> saved = sig == SIGTRAP ? saved_result(tid, p) : std::nullopt;
  swallow = sig == SIGTRAP;
  if (!saved) {
    Outcome o = end(tid, -EINTR);
    o.stop.have_result = false;  // unknown: the log says "?"
    return o;
  }
  // A restart leaves the syscall number (aarch64: its first argument) in the result register.
  if (*saved == -EINTR) return end(tid, -EINTR);
  return end(tid, std::nullopt);
}

}  // namespace redirect::engine
