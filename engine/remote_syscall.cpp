// inject_syscall() (see remote_syscall.h). Cost: read and write the registers (plus the
// NT_ARM_SYSTEM_CALL regset on aarch64), PTRACE_SYSCALL, waitpid, read and write them again.
#include "engine/remote_syscall.h"

#include <elf.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include "engine/native_regs.h"

namespace redirect::engine {
namespace {


// 0, or ESRCH; throws for anything else. The host's layout even for a 32-bit tracee (see
// arch::native::whole_regs), so the Personality's offsets hold.
int get_regs(pid_t tid, NativeRegs& regs, const char* what) {
  int err = read_whole_regs(tid, regs);
  if (err == 0 || err == ESRCH) return err;
  throw fmt::system_error(err, "pid {}: injected syscall: {}", tid, what);
}
int set_regs(pid_t tid, const NativeRegs& regs, const char* what) {
  int err = write_whole_regs(tid, regs);
  if (err == 0 || err == ESRCH) return err;
  throw fmt::system_error(err, "pid {}: injected syscall: {}", tid, what);
}

}  // namespace

InjectedCall inject_syscall(pid_t tid, const SyscallEntry& e, long nr,
                            const std::array<std::uint64_t, rules::kSyscallArgs>& args, StolenStatuses& stolen) {
  const arch::Personality& p = *e.personality;
  NativeRegs saved;
  if (get_regs(tid, saved, "read the registers") != 0) return {};
  NativeRegs ours = saved;
  for (unsigned i = 0; i < 6; ++i) put_reg(ours, p.arg_offset[i], args[i]);
  if (p.nr_regset == 0) put_reg(ours, p.nr_offset, static_cast<std::uint64_t>(nr));
  if (set_regs(tid, ours, "set the registers") != 0) return {};
  if (p.nr_regset != 0) {
    int n = static_cast<int>(nr);
    iovec nr_iov{&n, sizeof n};
    if (ptrace(PTRACE_SETREGSET, tid, p.nr_regset, &nr_iov) != 0) {
      if (errno == ESRCH) return {};
      throw fmt::system_error(errno, "pid {}: injected syscall: set the number", tid);
    }
  }
  if (ptrace(PTRACE_SYSCALL, tid, nullptr, 0) != 0) {
    if (errno == ESRCH) return {};
    throw fmt::system_error(errno, "pid {}: injected syscall: PTRACE_SYSCALL", tid);
  }
  // Between a syscall's entry and exit stops only its exit stop or the tracee's end can be
  // reported (signals are delivered on the way back to user mode, after the exit stop): death,
  // or, for a leader, another thread's execve taking over its tid (PTRACE_EVENT_EXEC). Those
  // go to the loop; the old image and its registers are gone anyway.
  int status = 0;
  for (;;) {
    pid_t got = waitpid(tid, &status, __WALL);
    if (got == tid) break;
    if (got < 0 && errno == EINTR) continue;
    throw fmt::system_error(errno, "pid {}: injected syscall: waitpid", tid);
  }
  if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80) || (status >> 16) != 0) {
    stolen.emplace_back(tid, status);
    return {};
  }
  NativeRegs after;
  if (get_regs(tid, after, "read the result") != 0) return {};
  long result = static_cast<long>(get_reg(after, p.result_offset));
  if (p.pointer_size == 4) result = static_cast<std::int32_t>(result);
  // Back onto the syscall instruction, with the number where that instruction reads it.
  put_reg(saved, p.ip_offset, get_reg(saved, p.ip_offset) - p.syscall_insn_size);
  put_reg(saved, p.restart_nr_offset, static_cast<std::uint64_t>(e.nr));
  if (set_regs(tid, saved, "restore the registers") != 0) return {};
  return {true, result};
}

}  // namespace redirect::engine
