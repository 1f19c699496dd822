// ScratchAreas (see scratch_area.h). Cost per address space that rewrites: one injected mmap,
// prctl and mseal, each an exit stop of its own plus the program's call stopping again; then
// nothing per call but the slot's bookkeeping. Chunks are MAP_NORESERVE and untouched until a
// string lands in them, so an idle slot costs address space, not memory.
#include "engine/scratch_area.h"

#include <sys/mman.h>
#include <sys/prctl.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/filter_probe.h"
#include "engine/tracee.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// PR_SET_VMA / PR_SET_VMA_ANON_NAME (linux/prctl.h, Linux 5.17), spelled out for older headers.
constexpr std::uint64_t pr_set_vma = 0x53564d41;
constexpr std::uint64_t pr_set_vma_anon_name = 0;
constexpr char kName[] = "redirect";

// "Seccomp_filters:" of /proc/PID/status (Linux 5.9), or -1 when it cannot be read.
int seccomp_filters(const char* status_path) {
  std::FILE* f = std::fopen(status_path, "re");
  if (!f) return -1;
  char line[256];
  int n = -1;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "Seccomp_filters: %d", &n) == 1) break;
  std::fclose(f);
  return n;
}

long syscall_nr(rules::Sys s, const SyscallEntry& e) {
  return rules::syscall_number(s, e.audit_arch).value_or(-1);
}

// The return stubs of the host's own ABI (arch.h), or null where it has none.
const arch::ReturnStub* host_stub() { return arch::native::personalities[0].return_stub; }

constexpr std::uint64_t kPage = 4096;

// Bytes after a chunk's `slots` slots that hold their stubs, whole pages (mprotect's unit).
std::uint64_t stub_area_bytes(std::uint32_t slots) {
  const arch::ReturnStub* stub = host_stub();
  if (!stub) return 0;
  return (std::uint64_t{slots} * stub->stride + kPage - 1) & ~(kPage - 1);
}

std::uint64_t chunk_bytes(const AddressSpace::Chunk& c) {
  return std::uint64_t{c.slots} * scratch_slot_size + stub_area_bytes(c.slots);
}

}  // namespace

std::shared_ptr<AddressSpace> AddressSpace::forked() const {
  auto copy = std::make_shared<AddressSpace>(*this);
  copy->busy.assign(busy.size(), false);
  return copy;
}

bool AddressSpace::reachable(std::uint32_t slot, std::uint64_t pointer_mask) const {
  return ((slot_address(slot).addr + scratch_slot_size - 1) & ~pointer_mask) == 0;
}

const AddressSpace::Chunk* AddressSpace::chunk_of(std::uint32_t slot) const {
  for (const Chunk& c : chunks) {
    if (slot < c.slots) return &c;
    slot -= c.slots;
  }
  return nullptr;
}

RemotePtr AddressSpace::stub_address(std::uint32_t slot) const {
  for (const Chunk& c : chunks) {
    if (slot < c.slots) {
      if (c.stubs != Chunk::Stubs::ready || c.dead) return {};
      return RemotePtr{c.base.addr + std::uint64_t{c.slots} * scratch_slot_size +
                       std::uint64_t{slot} * host_stub()->stride};
    }
    slot -= c.slots;
  }
  return {};
}

RemotePtr AddressSpace::slot_address(std::uint32_t slot) const {
  for (const Chunk& c : chunks) {
    if (slot < c.slots) return RemotePtr{c.base.addr + slot * scratch_slot_size};
    slot -= c.slots;
  }
  return {};
}

ScratchAreas::ScratchAreas(Stats& stats, DecisionLog* log, Notices* notices)
    : stats_(stats), log_(log), notices_(notices) {
  // A filter redirect's own process runs under (a container's) is every tracee's too.
  int ours = seccomp_filters("/proc/self/status");
  inherited_filters_ = ours < 0 ? 0 : ours;
}

// Filters in force for `tid` beyond redirect's (inherited and its own trap filter): those the
// program installed. -1 when the kernel does not say (before Linux 5.9).
int ScratchAreas::filters_of_its_own(pid_t tid) const {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", tid);
  const int n = seccomp_filters(path);
  return n < 0 ? -1 : n - inherited_filters_ - (trap_filter_ ? 1 : 0);
}

std::string ScratchAreas::mmap_refused(const Tracee& t, const SyscallEntry& e, int own,
                                       std::uint64_t length, const ProbeResult*& probe) {
  probe = nullptr;
  const std::shared_ptr<const FilterChain> chain = filters_.of(t.tid);
  const std::size_t recorded = chain ? chain->filters.size() : 0;
  if (own > static_cast<int>(recorded))
    return fmt::format("the process runs under {} seccomp filter(s) redirect did not see "
                       "installed, which may kill it for an injected mmap",
                       own - static_cast<int>(recorded));
  if (recorded == 0 && !runs_under_filters()) return {};
  std::optional<ProbeResult>& cached = chain ? chain->probed[e.abi] : inherited_probe_[e.abi];
  if (!cached) {
    static const std::vector<InstalledFilter> none;
    cached = probe_scratch_calls(chain ? chain->filters : none, *e.personality, length);
  }
  probe = &*cached;
  const ProbeStep& m = cached->mmap;
  if (cached->unknown || m.kind == ProbeStep::Kind::not_reached)
    return "cannot tell whether the process's seccomp filters allow an injected mmap";
  if (m.kind == ProbeStep::Kind::killed)
    return fmt::format("a seccomp filter of the process would kill it with {} for an "
                       "injected mmap",
                       m.signal == SIGSYS ? std::string("SIGSYS") : fmt::format("signal {}", m.signal));
  if (m.result != 0) return std::strerror(static_cast<int>(-m.result));
  return {};
}

// No mapping can be made in `s`: every rewritten string of it goes on the stack, and the
// user is told once, with `why`.
ScratchGrant ScratchAreas::use_stack(const Tracee& t, AddressSpace& s, const std::string& why) {
  s.unusable = true;
  const std::string what = fmt::format(
      "cannot map redirect's scratch memory ({}): rewritten strings go on the stack, at most "
      "{} bytes below the stack pointer",
      why, stack_fallback_bound);
  if (log_) log_->problem(t.tid, "mmap", what);
  if (notices_ && !(log_ && log_->is_stderr()))
    notices_->say(fmt::format("pid {}: {}", t.tid, what));
  return {};
}

void ScratchAreas::release(Tracee& t) {
  if (t.slot >= 0 && t.space && static_cast<std::size_t>(t.slot) < t.space->busy.size())
    t.space->busy[static_cast<std::size_t>(t.slot)] = false;
  t.slot = -1;
}

void ScratchAreas::lost(Tracee& t) {
  release(t);
  AddressSpace& s = *t.space;
  // Kept, marked dead, so that the slot numbers other threads hold still name their chunks.
  bool any = false;
  for (AddressSpace::Chunk& c : s.chunks) any |= !std::exchange(c.dead, true);
  if (!any) return;  // another thread of this address space found it first
  if (++s.lost >= 3) s.unusable = true;
  if (log_)
    log_->problem(t.tid, "scratch",
                  s.unusable ? "redirect's scratch mapping was unmapped again: using the stack"
                             : "redirect's scratch mapping was unmapped by the program: mapping "
                               "a new one");
}

ScratchGrant ScratchAreas::inject(Tracee& t, const SyscallEntry& e, long nr,
                                  const std::array<std::uint64_t, rules::kSyscallArgs>& args, long& result) {
  ++stats_.injected;
  InjectedCall call = inject_syscall(t.tid, e, nr, args, stolen_);
  if (!call.done) return {ScratchGrant::Kind::gone, {}, {}};
  result = call.result;
  // The program's call runs again: in ptrace mode its entry stop is an entry, not an exit.
  t.in_syscall = false;
  return {ScratchGrant::Kind::restarted, {}, {}};
}

bool ScratchAreas::map_ahead(Tracee& t, const SyscallEntry& e) {
  const bool held = t.slot >= 0;
  ScratchGrant g = acquire(t, e);
  if (g.kind == ScratchGrant::Kind::slot && !held) release(t);
  return g.kind == ScratchGrant::Kind::restarted || g.kind == ScratchGrant::Kind::gone;
}

ScratchGrant ScratchAreas::acquire(Tracee& t, const SyscallEntry& e) {
  if (!t.space) t.space = std::make_shared<AddressSpace>();
  AddressSpace& s = *t.space;
  if (s.unusable) return {ScratchGrant::Kind::stack, {}, {}};
  // An `int $0x80` call of a 64-bit program reaches only memory below 4 GiB: it gets a slot
  // there, mapped through its own ABI when there is none, and never names or seals a chunk
  // above (its 32-bit arguments would name the program's memory instead).
  const std::uint64_t reach = arch::pointer_mask(*e.personality);
  for (AddressSpace::Chunk& c : s.chunks) {
    const std::uint64_t last = c.base.addr + chunk_bytes(c) - 1;
    const bool unfinished = !c.named || !c.sealed || c.stubs == AddressSpace::Chunk::Stubs::untried;
    if (unfinished && !c.dead && (last & ~reach) == 0) return finish_chunk(t, e, c);
  }
  auto usable = [&](std::uint32_t slot) {
    return s.reachable(slot, reach) && !s.chunk_of(slot)->dead;
  };
  if (t.slot >= 0 && !usable(static_cast<std::uint32_t>(t.slot))) release(t);
  if (t.slot < 0) {
    for (std::size_t i = 0; i < s.busy.size(); ++i) {
      if (s.busy[i] || !usable(static_cast<std::uint32_t>(i))) continue;
      s.busy[i] = true;
      t.slot = static_cast<std::int32_t>(i);
      break;
    }
  }
  if (t.slot < 0) return map_chunk(t, e, s);
  const auto slot = static_cast<std::uint32_t>(t.slot);
  return {ScratchGrant::Kind::slot, s.slot_address(slot), s.stub_address(slot)};
}

ScratchGrant ScratchAreas::map_chunk(Tracee& t, const SyscallEntry& e, AddressSpace& s) {
  std::uint32_t total = 0;
  for (const AddressSpace::Chunk& c : s.chunks)
    if (!c.dead) total += c.slots;
  const std::uint32_t slots = total == 0 ? scratch_first_slots : total;
  const std::uint64_t length = std::uint64_t{slots} * scratch_slot_size + stub_area_bytes(slots);
  // Through the call's own ABI: an i386 mmap2 maps below 4 GiB, where its pointers reach.
  const arch::Personality& p = *e.personality;
  const std::uint64_t fd = arch::pointer_mask(p);  // -1 as the ABI's int
  // The tracee must never die of a call it did not make: where its seccomp filters would
  // refuse or kill for the mmap, none is injected.
  const ProbeResult* probe = nullptr;
  const int own = filters_of_its_own(t.tid);
  if (std::string why = mmap_refused(t, e, own, length, probe); !why.empty())
    return use_stack(t, s, why);
  long result = 0;
  ScratchGrant g = inject(t, e, p.scratch_mmap_nr,
                          {0, length, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, fd, 0},
                          result);
  if (g.kind == ScratchGrant::Kind::gone) return g;
  // An i386 address above 2 GiB reads as a negative int: only -4095..-1 is an error.
  if (is_error_result(result)) {
    // No memory left, or a filter the probe did not foresee answering an errno.
    ScratchGrant stack = use_stack(t, s, std::strerror(static_cast<int>(-result)));
    return g.kind == ScratchGrant::Kind::restarted ? g : stack;
  }
  AddressSpace::Chunk c{RemotePtr{static_cast<std::uint64_t>(result) & fd}, slots};
  // Stubs run only for calls of the ABI they are written in, so such a call makes them.
  if (stubs_ && p.return_stub && p.return_stub == host_stub()) c.stubs = AddressSpace::Chunk::Stubs::untried;
  // Naming and sealing are injected too; a program's own filter may kill for calls it does
  // not expect, so a tracee that installed one gets the plain mapping.
  if (own > 0 || filters_.count(t.tid) > 0) {
    c.named = c.sealed = true;
    c.stubs = AddressSpace::Chunk::Stubs::none;
    if (log_)
      log_->warning(t.tid, "mmap",
                    "the program has its own seccomp filter: redirect's scratch mapping is "
                    "neither named nor sealed");
  } else if (probe) {
    // Under redirect's inherited filters: only the calls the probe saw succeed.
    c.named = !probe->name.succeeded();
    c.sealed = !probe->seal.succeeded();
    // The probe does not try mprotect: no stubs (two stops), rather than a call that might
    // kill the program.
    c.stubs = AddressSpace::Chunk::Stubs::none;
  }
  s.chunks.push_back(c);
  s.busy.resize(s.busy.size() + slots, false);
  return g;
}

ScratchGrant ScratchAreas::finish_chunk(Tracee& t, const SyscallEntry& e,
                                        AddressSpace::Chunk& c) {
  const std::uint64_t length = chunk_bytes(c);
  long result = 0;
  if (!c.named) {
    c.named = true;
    // The name is copied by the kernel: the end of the first slot, never used by strings.
    RemotePtr name{c.base.addr + scratch_slot_size - 16};
    const RemoteWrite piece{name, std::span<const char>(kName, sizeof kName)};
    long nr = syscall_nr(rules::Sys::prctl, e);
    if (can_name_ && nr >= 0 && write_remote(t.tid, std::span(&piece, 1)) == 0) {
      ScratchGrant g = inject(
          t, e, nr, {pr_set_vma, pr_set_vma_anon_name, c.base.addr, length, name.addr, 0}, result);
      // EINVAL: a kernel without CONFIG_ANON_VMA_NAME; no other address space tries again.
      if (g.kind == ScratchGrant::Kind::restarted && result == -EINVAL) can_name_ = false;
      return g;
    }
  }
  if (c.stubs == AddressSpace::Chunk::Stubs::untried) return make_stubs(t, e, c);
  if (!c.sealed) {
    c.sealed = true;
    // mseal (Linux 6.10; 64-bit kernels only): ENOSYS elsewhere, and the chunk stays unsealed.
    const long nr = e.personality->mseal_nr;
    if (can_seal_ && nr >= 0) {
      ScratchGrant g = inject(t, e, nr, {c.base.addr, length, 0, 0, 0, 0}, result);
      if (g.kind == ScratchGrant::Kind::restarted && result == -ENOSYS) can_seal_ = false;
      return g;
    }
  }
  return acquire(t, e);
}

// Writes a stub per slot into the area after the slots while it is still writable, then makes
// that area read+execute (never writable and executable at once: W^X policies allow it, unless
// they refuse to make anonymous memory executable at all, and then the chunk stays two-stop).
ScratchGrant ScratchAreas::make_stubs(Tracee& t, const SyscallEntry& e, AddressSpace::Chunk& c) {
  using Stubs = AddressSpace::Chunk::Stubs;
  c.stubs = Stubs::none;
  if (!stubs_) return acquire(t, e);  // turned off since the chunk was mapped
  const arch::ReturnStub& stub = *host_stub();
  const std::uint64_t area = c.base.addr + std::uint64_t{c.slots} * scratch_slot_size;
  std::vector<char> code(stub_area_bytes(c.slots), '\xcc');  // int3 between the stubs
  for (std::uint32_t i = 0; i < c.slots; ++i) {
    const std::uint64_t at = area + std::uint64_t{i} * stub.stride;
    const std::uint64_t header = c.base.addr + std::uint64_t{i} * scratch_slot_size + scratch_header_offset;
    stub.encode(at, header, reinterpret_cast<std::uint8_t*>(code.data()) + std::uint64_t{i} * stub.stride);
  }
  const RemoteWrite piece{RemotePtr{area}, std::span<const char>(code.data(), code.size())};
  const long nr = syscall_nr(rules::Sys::mprotect, e);
  if (nr < 0 || write_remote(t.tid, std::span(&piece, 1)) != 0) return acquire(t, e);
  long result = 0;
  ScratchGrant g = inject(t, e, nr, {area, code.size(), PROT_READ | PROT_EXEC, 0, 0, 0}, result);
  if (g.kind != ScratchGrant::Kind::restarted) return g;
  // Refused (EACCES): this chunk's rewrites take two stops, which --stats counts.
  if (result == 0) c.stubs = Stubs::ready;
  return g;
}

}  // namespace redirect::engine
