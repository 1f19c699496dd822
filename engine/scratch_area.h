// The memory redirect owns in each address space of the program: an anonymous private mapping
// that rewritten strings (and any other data the engine hands the kernel) are written to,
// never the program's own memory. Below the stack pointer is not free on a goroutine or
// coroutine stack (Go runs `syscall` on a goroutine's small heap stack, whose neighbour is
// another goroutine's), so the stack is only the fallback where no mapping can be made, and
// then only within a Go stack guard. The mapping is made by injecting mmap at the first stop
// that needs it (remote_syscall.h), then named `[anon:redirect]` (PR_SET_VMA_ANON_NAME) and
// sealed (mseal) where the kernel allows, one injected call per stop; never where the
// tracee's seccomp filters would refuse or kill for the call (filter_probe.h): there, the stack. Each thread inside a
// rewritten call holds a slot of its own until that call's exit stop; when every slot is held
// (threads blocked in FIFO opens...), another chunk is mapped rather than a slot shared.
// Where rewrites take one stop (one_stop.h), a chunk also holds, after its slots, one return
// stub per slot: written while the chunk is writable, then made read+execute (an injected
// mprotect, before the seal; where that is refused, as under PR_SET_MDWE or an SELinux policy
// without execmem, the chunk serves two-stop rewrites only). After a one-stop rewrite the
// thread keeps its slot until the tracer knows its stub is done (its next syscall or signal
// stop, its exec or its end), since the stub runs whenever the tracer is not looking.
// The surprise: address spaces are not processes. A fork child gets a copy of the mapping (a
// copy of the bookkeeping, every slot free), vfork children and CLONE_VM threads share it (the
// same bookkeeping), and execve drops it; the tracer tells which with kcmp(KCMP_VM).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/abi.h"
#include "engine/log.h"
#include "engine/notices.h"
#include "engine/program_filters.h"
#include "engine/remote_mem.h"
#include "engine/remote_syscall.h"
#include "engine/regs.h"

namespace redirect::engine {

struct Tracee;

/// Bytes of one slot: six PATH_MAX strings, each 16-byte aligned, fit.
inline constexpr std::size_t scratch_slot_size = 32 * 1024;
/// Where a slot's one-stop header lives (arch::ReturnStub::header_words words), after any
/// strings: six PATH_MAX strings end long before it, and the chunk's name sits after it.
inline constexpr std::size_t scratch_header_offset = scratch_slot_size - 128;
/// Bytes of a slot strings may use.
inline constexpr std::size_t scratch_string_capacity = scratch_header_offset;
/// Slots in the first chunk of an address space; each further chunk doubles the total.
inline constexpr std::uint32_t scratch_first_slots = 4;
/// The most the stack fallback writes below the stack pointer, red zone included: Go's
/// stack guard on linux (928 bytes, runtime/stack.go), the least free room a goroutine's stack
/// promises below its stack pointer in a syscall.
inline constexpr std::uint64_t stack_fallback_bound = 928;

/// redirect's scratch memory in one address space.
struct AddressSpace {
  struct Chunk {
    RemotePtr base;
    std::uint32_t slots = 0;
    bool named = false;   ///< PR_SET_VMA_ANON_NAME tried
    bool sealed = false;  ///< mseal tried
    /// Its return stubs (after the slots): to be made, ready to run, or none here.
    enum class Stubs : std::uint8_t { untried, ready, none };
    Stubs stubs = Stubs::none;
    bool dead = false;  ///< found unmapped: its slots are never handed out again
  };
  std::vector<Chunk> chunks;
  std::vector<bool> busy;  ///< one per slot, chunk after chunk
  bool unusable = false;   ///< mmap failed here: the stack fallback only
  std::uint8_t lost = 0;   ///< times a chunk was found unmapped (the program unmapped it)

  /// The bookkeeping of a fork child: the same chunks (copied with the memory), none held.
  [[nodiscard]] std::shared_ptr<AddressSpace> forked() const;
  [[nodiscard]] RemotePtr slot_address(std::uint32_t slot) const;
  /// Every byte of `slot` is addressable by a pointer of `pointer_mask`'s width.
  [[nodiscard]] bool reachable(std::uint32_t slot, std::uint64_t pointer_mask) const;
  /// The chunk holding `slot` (never null for a slot that was handed out).
  [[nodiscard]] const Chunk* chunk_of(std::uint32_t slot) const;
  /// The return stub of `slot`, or 0 when its chunk has none ready.
  [[nodiscard]] RemotePtr stub_address(std::uint32_t slot) const;
};

/// Where a call's new data goes.
struct ScratchGrant {
  enum class Kind : std::uint8_t {
    slot,       ///< `at`: scratch_slot_size bytes of the mapping, held by the tracee
    stack,      ///< no mapping here: below the stack pointer, within stack_fallback_bound
    restarted,  ///< a syscall was injected; the tracee's own call runs again when resumed
    gone,       ///< the tracee died
  };
  Kind kind = Kind::stack;
  RemotePtr at;
  RemotePtr stub;  ///< Kind::slot: the slot's return stub, 0 when its chunk has none
};

class ScratchAreas {
 public:
  /// `stats`, `log` and `notices` (may be null) must outlive it.
  ScratchAreas(Stats& stats, DecisionLog* log, Notices* notices = nullptr);

  /// A slot for the call `e` at which `t` is stopped: the one it holds, a free one, or, when
  /// the mapping is missing, unfinished or full, one injected step towards it (Kind::restarted).
  /// Throws as inject_syscall().
  ScratchGrant acquire(Tracee& t, const SyscallEntry& e);
  /// Makes the mapping of `t`'s address space now, if it has none or an unfinished one, for
  /// the moment before the program installs a seccomp filter of its own, which might forbid
  /// the calls injected to make it. True: a call was injected (the tracee's own call runs
  /// again; see Kind::restarted) or the tracee died; false: the mapping is ready, or cannot be
  /// made here (the stack fallback). Holds no slot afterwards. Throws as inject_syscall().
  bool map_ahead(Tracee& t, const SyscallEntry& e);
  /// The slot `t` holds is free again (its call's exit stop, its exec or its death).
  static void release(Tracee& t);
  /// Writing to `t`'s slot failed with EFAULT, or its stub faulted: the program unmapped the
  /// chunk. Forgets the mapping (a new one is made, at most three times per address space;
  /// then the stack). Other threads' slots there are never used again.
  void lost(Tracee& t);
  /// New chunks get return stubs (one_stop.h) when a call of an ABI that has them makes them.
  /// Off: the mapping is exactly what two-stop rewrites need.
  void set_stubs(bool on) { stubs_ = on; }

  /// redirect itself runs under a seccomp filter (a container's), which its tracees inherit.
  [[nodiscard]] bool runs_under_filters() const { return inherited_filters_ > 0; }
  /// Whether the program is started under redirect's own filter (--mode seccomp) or none
  /// (--mode ptrace, or the fallback to it): how many filters a tracee has of its own counts
  /// from there.
  void set_trap_filter(bool installed) { trap_filter_ = installed; }
  /// The filters the program installed (own_traps.h records them; the tracer tells forks).
  ProgramFilters& filters() { return filters_; }

  /// Wait statuses the injections took from the loop (see inject_syscall).
  StolenStatuses& stolen() { return stolen_; }

 private:
  ScratchGrant inject(Tracee& t, const SyscallEntry& e, long nr,
                      const std::array<std::uint64_t, rules::kSyscallArgs>& args, long& result);
  ScratchGrant map_chunk(Tracee& t, const SyscallEntry& e, AddressSpace& space);
  ScratchGrant finish_chunk(Tracee& t, const SyscallEntry& e, AddressSpace::Chunk& c);
  ScratchGrant make_stubs(Tracee& t, const SyscallEntry& e, AddressSpace::Chunk& c);
  [[nodiscard]] int filters_of_its_own(pid_t tid) const;
  // Why no mmap may be injected into `t` (its filters would refuse or kill it, or cannot be
  // known), or "" when one may; `own`: filters_of_its_own(). `probe` is then what a probe
  // found, or null when no filter needed asking.
  std::string mmap_refused(const Tracee& t, const SyscallEntry& e, int own, std::uint64_t length,
                           const ProbeResult*& probe);
  ScratchGrant use_stack(const Tracee& t, AddressSpace& s, const std::string& why);
  Stats& stats_;
  DecisionLog* log_;
  Notices* notices_;
  StolenStatuses stolen_;
  ProgramFilters filters_;
  int inherited_filters_ = 0;  // seccomp filters redirect runs under, which every tracee has
  bool trap_filter_ = true;    // redirect's own filter is installed in the program
  std::array<std::optional<ProbeResult>, abi_count> inherited_probe_;  // with no filter of the
                                                                        // program's, per ABI
  bool can_name_ = true;   // until PR_SET_VMA_ANON_NAME said EINVAL (not in this kernel)
  bool can_seal_ = true;   // until mseal said ENOSYS
  bool stubs_ = false;
};

}  // namespace redirect::engine
