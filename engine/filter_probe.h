// Whether seccomp filters would let through the calls redirect injects to make its scratch
// mapping (mmap, then prctl(PR_SET_VMA) to name it and mseal), answered by the kernel itself:
// a child of redirect's (which runs under every filter redirect runs under, the filters a
// tracee inherits from it) installs the program's recorded filters (program_filters.h) in
// their order and makes the same calls, through the same ABI, as an injection would. The
// child may die of them (SECCOMP_RET_KILL_*, SIGSYS of SECCOMP_RET_TRAP); the tracee never
// does. Chosen over reading the filters and interpreting their classic BPF, because a filter
// redirect itself runs under can be read by no one but a privileged tracer that runs under
// none (PTRACE_SECCOMP_GET_FILTER answers EACCES otherwise, kernel/seccomp.c
// seccomp_get_filter), and over suspending the filters for the injected call
// (PTRACE_O_SUSPEND_SECCOMP), which needs CAP_SYS_ADMIN, is refused to a tracer under a
// filter (kernel/ptrace.c ptrace_setoptions) and does not stop the kernel from checking the
// call anew after a seccomp stop (kernel/seccomp.c, recheck_after_trace). What the child
// cannot reproduce: a filter that tests the instruction pointer, or one that answers
// SECCOMP_RET_USER_NOTIF to a listener (asked by the child as it would be by the program),
// and a program's later filter installed through another ABI than the host's (the probe
// installs through the host's: an i386 program with two filters may read as unknown).
#pragma once

#include <cstdint>
#include <span>

#include "engine/arch/arch.h"
#include "engine/program_filters.h"

namespace redirect::engine {

/// Runs the probe: in a child, installs `filters` (oldest first) and makes the scratch calls
/// of `p` for a chunk of `length` bytes, as ScratchAreas injects them: mmap
/// (0, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0), prctl
/// (PR_SET_VMA, PR_SET_VMA_ANON_NAME, the mapping, length, "redirect") and mseal (the mapping,
/// length, 0), each only if the one before it succeeded. The child can write no file (no
/// core dump) and touches nothing of redirect's. Costs one fork and wait. Never throws: a
/// probe that cannot run answers `unknown`.
[[nodiscard]] ProbeResult probe_scratch_calls(std::span<const InstalledFilter> filters,
                                              const arch::Personality& p, std::uint64_t length);

}  // namespace redirect::engine
