// probe_scratch_calls() against real filters: the kernel evaluates them in the probe's child,
// so each case checks what the kernel does to the scratch calls under a filter that allows
// them, fails mmap with an errno, kills for mmap, kills for prctl only, or strict mode.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include <cerrno>
#include <csignal>
#include <cstddef>
#include <vector>

#include "engine/abi.h"
#include "engine/filter_probe.h"
#include "engine/scratch_area.h"

namespace engine = redirect::engine;
using engine::ProbeStep;

namespace {

const redirect::arch::Personality& host = redirect::arch::native::personalities[0];
constexpr std::uint64_t length = 4 * engine::scratch_slot_size;

// A filter that answers `action` for syscall `nr` of the host's ABI, and allows the rest.
engine::InstalledFilter refusing(long nr, std::uint32_t action) {
  return {false,
          {
              BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
              BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(nr), 0, 1),
              BPF_STMT(BPF_RET | BPF_K, action),
              BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
          }};
}

}  // namespace

TEST_CASE("filter_probe: no filter of the program's lets every scratch call through") {
  const engine::ProbeResult r = engine::probe_scratch_calls({}, host, length);
  CHECK_FALSE(r.unknown);
  CHECK(r.mmap.succeeded());
  // Naming and sealing ran; each may fail on an older kernel, but none killed the child.
  CHECK(r.name.kind == ProbeStep::Kind::ran);
  CHECK(r.seal.kind == ProbeStep::Kind::ran);
}

TEST_CASE("filter_probe: a filter that fails mmap with an errno") {
  const std::vector filters{refusing(host.scratch_mmap_nr, SECCOMP_RET_ERRNO | EPERM)};
  const engine::ProbeResult r = engine::probe_scratch_calls(filters, host, length);
  CHECK_FALSE(r.unknown);
  CHECK(r.mmap.kind == ProbeStep::Kind::ran);
  CHECK(r.mmap.result == -EPERM);
  CHECK(r.name.kind == ProbeStep::Kind::not_reached);
}

TEST_CASE("filter_probe: a filter that kills for mmap kills the probe, with SIGSYS") {
  for (std::uint32_t kill : {SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP}) {
    CAPTURE(kill);
    const std::vector filters{refusing(host.scratch_mmap_nr, kill)};
    const engine::ProbeResult r = engine::probe_scratch_calls(filters, host, length);
    CHECK_FALSE(r.unknown);
    CHECK(r.mmap.kind == ProbeStep::Kind::killed);
    CHECK(r.mmap.signal == SIGSYS);
    CHECK(r.name.kind == ProbeStep::Kind::not_reached);
  }
}

TEST_CASE("filter_probe: the filters act in order, and a later one may kill for prctl") {
  const std::vector filters{refusing(SYS_getpid, SECCOMP_RET_ERRNO | EPERM),
                            refusing(SYS_prctl, SECCOMP_RET_KILL_PROCESS)};
  const engine::ProbeResult r = engine::probe_scratch_calls(filters, host, length);
  CHECK_FALSE(r.unknown);
  CHECK(r.mmap.succeeded());
  CHECK(r.name.kind == ProbeStep::Kind::killed);
  CHECK(r.seal.kind == ProbeStep::Kind::not_reached);
}

TEST_CASE("filter_probe: strict mode kills for mmap (SIGKILL)") {
  const std::vector filters{engine::InstalledFilter{true, {}}};
  const engine::ProbeResult r = engine::probe_scratch_calls(filters, host, length);
  CHECK_FALSE(r.unknown);
  CHECK(r.mmap.kind == ProbeStep::Kind::killed);
  CHECK(r.mmap.signal == SIGKILL);
}

TEST_CASE("filter_probe: a filter that cannot be installed leaves the answer unknown") {
  const std::vector filters{engine::InstalledFilter{
      false, {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4096)}}};  // no return: the kernel says EINVAL
  CHECK(engine::probe_scratch_calls(filters, host, length).unknown);
}
