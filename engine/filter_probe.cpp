// probe_scratch_calls() (see filter_probe.h). The child reports through a page it shares with
// redirect, written before each call, so that what it reached is known however it ends: no
// syscall of the child's (a write its filters might forbid) carries the answer.
#include "engine/filter_probe.h"

#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <new>
#include <vector>

#include "engine/arch/native.h"
#include "engine/scratch_area.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// The page the child writes and redirect reads once the child has ended.
struct Report {
  std::int32_t installed;  // every filter is in force
  std::int32_t reached;    // steps begun
  std::int32_t done;       // steps returned
  std::int64_t result[3];  // mmap: 0 or -errno; prctl, mseal: their result
};

// What the child needs, prepared before the fork (the child allocates nothing).
struct Plan {
  std::vector<sock_fprog> programs;  // one per filter; len 0 = strict mode
  const arch::Personality* p;
  std::uint64_t length;
  long prctl_nr;  // -1: none on this ABI
};

constexpr std::uint64_t pr_set_vma = 0x53564d41, pr_set_vma_anon_name = 0;  // linux/prctl.h

// The child: never returns. It ends with exit (not exit_group), the one way out that strict
// mode allows.
[[noreturn]] void run_child(const Plan& plan, volatile Report* out) {
  using arch::native::raw_syscall;
  raw_syscall(SYS_prctl, PR_SET_DUMPABLE, 0);  // dying of SIGSYS must write no core file
  const rlimit no_core{0, 0};
  raw_syscall(SYS_prlimit64, 0, RLIMIT_CORE, reinterpret_cast<long>(&no_core), 0);
  raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  for (const sock_fprog& prog : plan.programs) {
    const long r = prog.len == 0
                       ? raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0)
                       : raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
                                     reinterpret_cast<long>(&prog));
    if (r != 0) raw_syscall(SYS_exit, 0);
  }
  out->installed = 1;
  const arch::Personality& p = *plan.p;
  const auto length = static_cast<long>(plan.length);
  out->reached = 1;
  long r = arch::native::raw_syscall_as(p, p.scratch_mmap_nr, 0, length, PROT_READ | PROT_WRITE,
                                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                        static_cast<long>(arch::pointer_mask(p)), 0);
  const bool mapped = !is_error_result(r);
  out->result[0] = mapped ? 0 : r;
  out->done = 1;
  if (!mapped) raw_syscall(SYS_exit, 0);
  const std::uint64_t base = static_cast<std::uint64_t>(r) & arch::pointer_mask(p);
  char* name = reinterpret_cast<char*>(base + scratch_slot_size - 16);
  std::memcpy(name, "redirect", 9);
  out->reached = 2;
  out->result[1] = plan.prctl_nr < 0 ? -ENOSYS
                                     : arch::native::raw_syscall_as(
                                           p, plan.prctl_nr, pr_set_vma, pr_set_vma_anon_name,
                                           static_cast<long>(base), length,
                                           static_cast<long>(reinterpret_cast<std::uintptr_t>(name)));
  out->done = 2;
  out->reached = 3;
  out->result[2] = p.mseal_nr < 0 ? -ENOSYS
                                  : arch::native::raw_syscall_as(p, p.mseal_nr,
                                                                 static_cast<long>(base), length, 0);
  out->done = 3;
  raw_syscall(SYS_exit, 0);
  __builtin_unreachable();
}

ProbeResult read_report(const Report& report, int status) {
  ProbeResult r;
  if (!report.installed) {
    r.unknown = true;
    return r;
  }
  ProbeStep* steps[] = {&r.mmap, &r.name, &r.seal};
  for (int i = 0; i < 3; ++i) {
    if (report.done > i) {
      *steps[i] = {ProbeStep::Kind::ran, static_cast<long>(report.result[i]), 0};
    } else if (report.reached == i + 1 && WIFSIGNALED(status)) {
      *steps[i] = {ProbeStep::Kind::killed, 0, WTERMSIG(status)};
    }
  }
  return r;
}

}  // namespace

ProbeResult probe_scratch_calls(std::span<const InstalledFilter> filters,
                                const arch::Personality& p, std::uint64_t length) {
  Plan plan{{}, &p, length, rules::syscall_number(rules::Sys::prctl, p.audit_arch).value_or(-1)};
  for (const InstalledFilter& f : filters)
    plan.programs.push_back({static_cast<unsigned short>(f.strict ? 0 : f.code.size()),
                             const_cast<sock_filter*>(f.code.data())});
  void* page = mmap(nullptr, sizeof(Report), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                    -1, 0);
  ProbeResult unknown;
  unknown.unknown = true;
  if (page == MAP_FAILED) return unknown;
  auto* report = new (page) Report{};
  // Signals stay blocked in the child: a handler of redirect's (which forwards signals to
  // the program) must not run there. A filter's SIGSYS is forced through all the same.
  sigset_t all, before;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &before);
  const pid_t child = fork();
  if (child == 0) run_child(plan, report);
  sigprocmask(SIG_SETMASK, &before, nullptr);
  int status = 0;
  pid_t got = -1;
  if (child > 0) {
    do got = waitpid(child, &status, 0);
    while (got < 0 && errno == EINTR);
  }
  ProbeResult result = got == child ? read_report(*report, status) : unknown;
  munmap(page, sizeof(Report));
  return result;
}

}  // namespace redirect::engine
