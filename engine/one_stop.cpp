// stub_header() and leave_stub() (see one_stop.h). Cost: nothing at a rewrite beyond 64 more
// bytes in its one write and one more register; at a signal-delivery stop of a thread whose
// stub may be running, one register read (and a write and a siginfo read when it is inside).
#include "engine/one_stop.h"

#include <sys/ptrace.h>

#include <csignal>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "engine/native_regs.h"

namespace redirect::engine {
namespace {


// A fault the kernel raised (si_code > 0: not kill(), tgkill() or sigqueue()) while the thread
// ran its stub: the stub's own instruction fetch or header load failed, since no code of the
// program runs there.
bool stub_fault(pid_t tid, int sig) {
  if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL) return false;
  siginfo_t info{};
  if (ptrace(PTRACE_GETSIGINFO, tid, nullptr, &info) != 0) return false;
  return info.si_code > 0;
}

}  // namespace

StubHeader stub_header(const SyscallEntry& e) {
  const arch::Personality& p = *e.personality;
  StubHeader h{};
  for (unsigned i = 0; i < 6; ++i) h[i] = e.raw_args[i];
  h[6] = e.ip;
  h[7] = e.ip - p.syscall_insn_size;
  h[arch::ReturnStub::result_word] = arch::ReturnStub::no_result;
  return h;
}

StubExit leave_stub(Tracee& t, int sig, long& result) {
  const Tracee::StubCall call = std::exchange(t.stub_call, {});
  // Stubs exist only for the host's own ABI (scratch_area.cpp makes them for no other).
  const arch::Personality& p = arch::native::personalities[0];
  const arch::ReturnStub* has_stub = p.return_stub;
  if (call.stub == 0 || has_stub == nullptr) return StubExit::outside;
  const arch::ReturnStub& stub = *has_stub;
  NativeRegs regs;
  if (int err = read_whole_regs(t.tid, regs); err != 0) {
    if (err == ESRCH) return StubExit::gone;
    throw fmt::system_error(err, "pid {}: leaving redirect's return stub: read the registers",
                            t.tid);
  }
  const std::uint64_t ip = get_reg(regs, p.ip_offset);
  if (ip < call.stub || ip >= call.stub + stub.size) return StubExit::outside;
  // Between `resume` and `restart` the call is over: on after the program's instruction (the
  // kernel still turns a restart code into a restart from there, as for the program itself).
  // Elsewhere (the first bytes, or the restart path) the kernel has rewound it for a restart:
  // onto the program's instruction, the number already where it reads it.
  const std::uint64_t off = ip - call.stub;
  const bool over = off >= stub.resume && off < stub.restart;
  for (unsigned i = 0; i < 6; ++i) put_reg(regs, p.arg_offset[i], call.args[i]);
  put_reg(regs, p.ip_offset, over ? call.ret : call.ret - p.syscall_insn_size);
  if (int err = write_whole_regs(t.tid, regs); err != 0) {
    if (err == ESRCH) return StubExit::gone;
    throw fmt::system_error(err, "pid {}: leaving redirect's return stub: write the registers",
                            t.tid);
  }
  if (stub_fault(t.tid, sig)) return StubExit::own_fault;
  result = static_cast<long>(get_reg(regs, p.result_offset));
  return over ? StubExit::unwound : StubExit::rewound;
}

}  // namespace redirect::engine
