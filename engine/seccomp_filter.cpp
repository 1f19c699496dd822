// Generator and installer of the tracee's seccomp-bpf program. We generate it ourselves rather
// than with libseccomp because the i386 half must use the numbers of a Matcher compiled for
// AUDIT_ARCH_I386, while libseccomp's seccomp_rule_add() translates every number from the
// host's table by name, and 2.5.4 has no export-to-memory call. The program, for x86_64 and
// its i386 view (strace src/filter_seccomp.c writes its program out the same way):
//
//     ld  [4]                       ; seccomp_data.arch
//     jeq #AUDIT_ARCH_X86_64, 0, next_arch     (a `ja` carries the jump when it is > 255)
//     ld  [0]                       ; seccomp_data.nr
//     jge #0x40000000, trace        ; x32 ABI: trap
//     jeq #SYS_sendto, 0, 5         ; a NullPass: sendto with a NULL address runs
//     ld  [args[4] low word]
//     jeq #0, 0, 3
//     ld  [args[4] high word]
//     jeq #0, 0, 1
//     ret #SECCOMP_RET_ALLOW
//     ld  [0]
//     jeq #SYS_clone, 0, 3          ; an ArgTrap: clone with CLONE_UNTRACED in its flags
//     ld  [args[0] low word]
//     jset #CLONE_UNTRACED, 0, 1
//     ret #SECCOMP_RET_TRACE
//     ld  [0]
//     jeq #SYS_prctl, 0, 3          ; an `equals` ArgTrap: prctl(PR_SET_SECCOMP, ...)
//     ld  [args[0] low word]
//     jeq #PR_SET_SECCOMP, 0, 1
//     ret #SECCOMP_RET_TRACE
//     ld  [0]
//     <tree>                        ; binary search over the ranges of trapped numbers
//   next_arch:
//     jeq #AUDIT_ARCH_I386, 0, unknown
//     ld  [0]
//     <tree>
//   unknown:
//     ret #SECCOMP_RET_TRACE        ; an arch we have no table for: trap, never guess
//
// Every `ret #SECCOMP_RET_TRACE` carries seccomp_marker as its SECCOMP_RET_DATA.
//
// <tree> over ranges r[i..j): split at m = (i+j)/2 with `jge #r[m].lo` (true: right half);
// a leaf is `jeq #lo` or `jge #lo; jgt #hi` followed by `ret TRACE; ret ALLOW`.
#include "engine/seccomp_filter.h"

#include "engine/arch/native.h"

#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstddef>
#include <utility>

namespace redirect::engine {
namespace {

using Program = std::vector<sock_filter>;
struct Range {
  std::uint32_t lo, hi;
};

constexpr std::uint32_t ret_trace = SECCOMP_RET_TRACE | seccomp_marker;
constexpr std::uint32_t ret_allow = SECCOMP_RET_ALLOW;

sock_filter stmt(std::uint16_t code, std::uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(std::uint16_t code, std::uint32_t k, std::size_t jt, std::size_t jf) {
  return BPF_JUMP(code, k, static_cast<std::uint8_t>(jt), static_cast<std::uint8_t>(jf));
}

void append(Program& to, const Program& from) { to.insert(to.end(), from.begin(), from.end()); }

// A conditional jump on `k` followed by `body`: the outcome `skip_on_true` jumps past body,
// the other enters it. A conditional jump's offsets are 8 bits, so a longer body is skipped
// through an unconditional `ja` (32-bit offset).
Program skip_body_when(std::uint16_t cond, std::uint32_t k, bool skip_on_true, Program body) {
  Program out;
  if (body.size() <= 255) {
    out.push_back(skip_on_true ? jump(cond, k, body.size(), 0) : jump(cond, k, 0, body.size()));
  } else {
    out.push_back(skip_on_true ? jump(cond, k, 0, 1) : jump(cond, k, 1, 0));
    out.push_back(stmt(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(body.size())));
  }
  append(out, body);
  return out;
}

Program tree(std::span<const Range> r) {
  if (r.empty()) return {stmt(BPF_RET | BPF_K, ret_allow)};
  if (r.size() == 1) {
    if (r[0].lo == r[0].hi)
      return {jump(BPF_JMP | BPF_JEQ | BPF_K, r[0].lo, 0, 1), stmt(BPF_RET | BPF_K, ret_trace),
              stmt(BPF_RET | BPF_K, ret_allow)};
    return {jump(BPF_JMP | BPF_JGE | BPF_K, r[0].lo, 0, 2),
            jump(BPF_JMP | BPF_JGT | BPF_K, r[0].hi, 1, 0), stmt(BPF_RET | BPF_K, ret_trace),
            stmt(BPF_RET | BPF_K, ret_allow)};
  }
  std::size_t m = r.size() / 2;
  // nr >= r[m].lo: skip the left subtree into the right one.
  Program out = skip_body_when(BPF_JMP | BPF_JGE | BPF_K, r[m].lo, true, tree(r.first(m)));
  append(out, tree(r.subspan(m)));
  return out;
}

std::vector<Range> ranges_of(std::span<const int> numbers) {
  std::vector<Range> out;
  for (int n : numbers) {
    auto u = static_cast<std::uint32_t>(n);
    if (!out.empty() && out.back().hi + 1 == u)
      out.back().hi = u;
    else
      out.push_back({u, u});
  }
  return out;
}

Program arch_block(const FilterArch& a) {
  Program body{stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr))};
  if (a.foreign_nr_base != 0) {
    body.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, a.foreign_nr_base, 0, 1));
    body.push_back(stmt(BPF_RET | BPF_K, ret_trace));
  }
  for (const NullPass& p : a.null_passes) {
    const std::uint32_t at = offsetof(seccomp_data, args) + 8u * p.arg;
    const std::uint32_t low = at + (std::endian::native == std::endian::big ? 4u : 0u);
    const std::uint32_t high = at + (std::endian::native == std::endian::big ? 0u : 4u);
    body.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(p.nr), 0, 5));
    body.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, low));
    body.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3));
    body.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, high));
    body.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1));
    body.push_back(stmt(BPF_RET | BPF_K, ret_allow));
    body.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  }
  for (const ArgTrap& t : a.arg_traps) {
    // The low half of a 64-bit argument: at +4 on a big-endian machine.
    std::uint32_t low = offsetof(seccomp_data, args) + 8u * t.arg +
                        (std::endian::native == std::endian::big ? 4u : 0u);
    body.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<std::uint32_t>(t.nr), 0, 3));
    body.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, low));
    body.push_back(jump(BPF_JMP | (t.equals ? BPF_JEQ : BPF_JSET) | BPF_K, t.mask, 0, 1));
    body.push_back(stmt(BPF_RET | BPF_K, ret_trace));
    body.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  }
  append(body, tree(ranges_of(a.numbers)));
  // Not this arch: skip the block (it always returns, so falling off it cannot happen).
  return skip_body_when(BPF_JMP | BPF_JEQ | BPF_K, a.audit_arch, false, std::move(body));
}

}  // namespace

std::vector<sock_filter> make_seccomp_program(std::span<const FilterArch> arches) {
  Program out{stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch))};
  for (const FilterArch& a : arches) append(out, arch_block(a));
  out.push_back(stmt(BPF_RET | BPF_K, ret_trace));
  return out;
}

int install_seccomp_program(std::span<const sock_filter> program) noexcept {
  // Raw syscalls: this runs in the CLONE_VM child of spawn.cpp, where libc's errno would be
  // the tracer's.
  using arch::native::raw_syscall;
  sock_fprog fprog{static_cast<unsigned short>(program.size()),
                   const_cast<sock_filter*>(program.data())};
  if (program.size() > BPF_MAXINSNS) return EINVAL;
  const long fprog_arg = reinterpret_cast<long>(&fprog);
  // Without no_new_privs only a CAP_SYS_ADMIN caller may install a filter (EACCES); trying
  // first keeps setuid programs working natively under a privileged redirect.
  long r = raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fprog_arg);
  if (r == 0) return 0;
  if (r == -EACCES) {
    long e = raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1);
    if (e != 0) return static_cast<int>(-e);
    r = raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fprog_arg);
    if (r == 0) return 0;
  }
  if (r != -ENOSYS) return static_cast<int>(-r);
  // seccomp(2) is missing (Linux < 3.17) or hidden (valgrind): the older prctl interface.
  if (long e = raw_syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1); e != 0) return static_cast<int>(-e);
  return static_cast<int>(-raw_syscall(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog_arg));
}

}  // namespace redirect::engine
