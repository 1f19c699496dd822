// The seccomp program generator, run through a small classic-BPF interpreter (only the
// instructions the generator emits) so every number of every arch can be checked against the
// intended set, plus one real install in a child process to prove the kernel accepts it.
#include <doctest/doctest.h>

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <set>
#include <vector>

#include "engine/seccomp_filter.h"

using redirect::engine::FilterArch;
using redirect::engine::make_seccomp_program;

namespace {

struct Result {
  std::uint32_t ret;
  std::size_t steps;  // instructions executed
};

// `arg0` is the value of argument `which` (every other argument is 0).
Result run_bpf(const std::vector<sock_filter>& prog, std::uint32_t arch, std::uint32_t nr,
               std::uint64_t arg0 = 0, unsigned which = 0) {
  std::uint32_t a = 0;
  std::size_t pc = 0, steps = 0;
  while (pc < prog.size()) {
    const sock_filter& in = prog[pc];
    ++steps;
    switch (in.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (in.k >= offsetof(seccomp_data, args) && in.k < offsetof(seccomp_data, args) + 48) {
          // args[i], low word first (little-endian)
          const std::uint32_t off = in.k - offsetof(seccomp_data, args);
          const std::uint64_t v = off / 8 == which ? arg0 : 0;
          a = static_cast<std::uint32_t>(off % 8 == 0 ? v : v >> 32);
        } else
          REQUIRE((in.k == offsetof(seccomp_data, arch) || in.k == offsetof(seccomp_data, nr)));
        if (in.k == offsetof(seccomp_data, arch)) a = arch;
        if (in.k == offsetof(seccomp_data, nr)) a = nr;
        ++pc;
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += 1 + ((a & in.k) != 0 ? in.jt : in.jf);
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += 1 + (a == in.k ? in.jt : in.jf);
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += 1 + (a >= in.k ? in.jt : in.jf);
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += 1 + (a > in.k ? in.jt : in.jf);
        break;
      case BPF_JMP | BPF_JA:
        pc += 1 + in.k;
        break;
      case BPF_RET | BPF_K:
        return {in.k, steps};
      default:
        FAIL("unexpected BPF instruction ", in.code);
    }
  }
  FAIL("fell off the end of the program");
  return {};
}

constexpr std::uint32_t trace = SECCOMP_RET_TRACE | redirect::engine::seccomp_marker, allow = SECCOMP_RET_ALLOW;

}  // namespace

TEST_CASE("seccomp filter: traps exactly the listed numbers of each arch") {
  std::vector<int> x64{0, 2, 4, 5, 6, 21, 257, 258, 262, 332, 437};
  std::vector<int> x86{5, 10, 33, 295, 383};
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, x64, 0x40000000u, {}, {}}, {AUDIT_ARCH_I386, x86, 0, {}, {}}};
  auto prog = make_seccomp_program(arches);
  for (std::uint32_t nr = 0; nr < 600; ++nr) {
    bool in64 = std::binary_search(x64.begin(), x64.end(), static_cast<int>(nr));
    bool in86 = std::binary_search(x86.begin(), x86.end(), static_cast<int>(nr));
    CHECK_MESSAGE(run_bpf(prog, AUDIT_ARCH_X86_64, nr).ret == (in64 ? trace : allow), nr);
    CHECK_MESSAGE(run_bpf(prog, AUDIT_ARCH_I386, nr).ret == (in86 ? trace : allow), nr);
  }
  SUBCASE("x32 syscalls (x86_64 numbers with bit 30) are trapped") {
    CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 0x40000000u + 1).ret == trace);
    CHECK(run_bpf(prog, AUDIT_ARCH_I386, 0x40000000u + 1).ret == allow);
  }
  SUBCASE("an arch without a table is trapped, never guessed") {
    CHECK(run_bpf(prog, AUDIT_ARCH_AARCH64, 1).ret == trace);
    CHECK(run_bpf(prog, 0, 500).ret == trace);
  }
}

TEST_CASE("seccomp filter: no numbers means nothing of that arch is trapped") {
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, {}, 0, {}, {}}};
  auto prog = make_seccomp_program(arches);
  for (std::uint32_t nr = 0; nr < 500; ++nr)
    CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, nr).ret == allow);
}

TEST_CASE("seccomp filter: a binary search, with long jumps beyond 255 instructions") {
  // Every third number up to 1500: 500 ranges, far more than an 8-bit jump offset can skip.
  std::vector<int> many;
  for (int nr = 0; nr < 1500; nr += 3) many.push_back(nr);
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, many, 0, {}, {}}, {AUDIT_ARCH_I386, many, 0, {}, {}}};
  auto prog = make_seccomp_program(arches);
  CHECK(prog.size() < 4096);  // BPF_MAXINSNS
  std::size_t worst = 0;
  for (std::uint32_t nr = 0; nr < 1600; ++nr) {
    std::uint32_t want = nr < 1500 && nr % 3 == 0 ? trace : allow;
    Result r64 = run_bpf(prog, AUDIT_ARCH_X86_64, nr), r86 = run_bpf(prog, AUDIT_ARCH_I386, nr);
    CHECK_MESSAGE(r64.ret == want, nr);
    CHECK_MESSAGE(r86.ret == want, nr);
    worst = std::max({worst, r64.steps, r86.steps});
  }
  // log2(500) = 9 levels of at most 2 instructions, a leaf of 3, the arch and nr loads and the
  // skipped first arch: a linear filter would need hundreds.
  CHECK(worst <= 30);
}

TEST_CASE("seccomp filter: ranges of consecutive numbers stay small") {
  std::vector<int> run;
  for (int nr = 100; nr < 300; ++nr) run.push_back(nr);
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, run, 0, {}, {}}};
  auto prog = make_seccomp_program(arches);
  CHECK(prog.size() < 12);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 99).ret == allow);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 100).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 299).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 300).ret == allow);
}

TEST_CASE("seccomp filter: the kernel accepts the program and traps the listed syscall") {
  // With no tracer attached, SECCOMP_RET_TRACE makes the syscall fail with ENOSYS: getppid
  // (trapped) fails, getpid (not trapped) works. Run in a child so the filter dies with it.
  std::vector<int> nrs{SYS_getppid};
  std::vector<FilterArch> arches;
  for (std::uint32_t a : {AUDIT_ARCH_X86_64, AUDIT_ARCH_AARCH64}) arches.push_back({a, nrs, 0, {}, {}});
  auto prog = make_seccomp_program(arches);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (redirect::engine::install_seccomp_program(prog) != 0) _exit(10);
    if (syscall(SYS_getpid) <= 0) _exit(11);
    if (syscall(SYS_getppid) != -1 || errno != ENOSYS) _exit(12);
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("seccomp filter: a syscall trapped only when an argument has a flag (clone)") {
  using redirect::engine::ArgTrap;
  std::vector<int> nrs{2, 257};
  ArgTrap clone{56, 0, 0x00800000u};  // clone with CLONE_UNTRACED
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, nrs, 0x40000000u, std::span(&clone, 1), {}}};
  auto prog = make_seccomp_program(arches);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 56, 0x00800000u | 17).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 56, 0x01200011u).ret == allow);  // fork's flags
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 56, 0x00800000ull << 32).ret == allow);  // high half
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 257, 0x00800000u).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 3, 0x00800000u).ret == allow);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 2).ret == trace);
}

TEST_CASE("seccomp filter: a syscall trapped only when an argument equals a value (prctl)") {
  using redirect::engine::ArgTrap;
  std::vector<int> nrs{257};
  ArgTrap traps[] = {{56, 0, 0x00800000u}, {157, 0, 22, /*equals=*/true}};  // PR_SET_SECCOMP
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, nrs, 0x40000000u, traps, {}}};
  auto prog = make_seccomp_program(arches);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 157, 22).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 157, 22 | 1).ret == allow);  // not a bit test
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 157, 15).ret == allow);      // PR_SET_NAME
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 56, 0x00800000u).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 257).ret == trace);
}

TEST_CASE("seccomp filter: sendto with a NULL address is let through") {
  using redirect::engine::NullPass;
  std::vector<int> nrs{44, 257};  // sendto, openat
  NullPass pass{44, 4};
  FilterArch arches[] = {{AUDIT_ARCH_X86_64, nrs, 0x40000000u, {}, std::span(&pass, 1)}};
  auto prog = make_seccomp_program(arches);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 44, 0, 4).ret == allow);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 44, 0x7ffc0000u, 4).ret == trace);
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 44, 1ull << 32, 4).ret == trace);  // high half
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 44, 5, 0).ret == allow);  // address NULL, fd 5
  CHECK(run_bpf(prog, AUDIT_ARCH_X86_64, 257, 0, 4).ret == trace);
}
