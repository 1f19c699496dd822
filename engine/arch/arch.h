// What the engine needs to know about one syscall ABI ("personality"), as plain data: where
// each argument, the number and the result live in the tracer-side register block, how wide a
// tracee pointer is, and how far below the stack pointer the ABI lets leaf code write without
// moving it (the red zone our scratch strings must not overwrite). The surprise: one host arch
// can run several ABIs in one process (an x86_64 program may `int $0x80` into the i386 table),
// so the engine picks a Personality per stop from the AUDIT_ARCH_* value the kernel reports,
// never once per process. Each arch header (x86_64.h, aarch64.h) fills these tables; they
// compile on every host, and native.h chooses the host's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace redirect::arch {

/// How the tracer changes one register of a stopped tracee.
enum class RegAccess : std::uint8_t {
  poke_user,  ///< PTRACE_POKEUSER at the byte offset (x86: one syscall per register)
  regset,     ///< PTRACE_GETREGSET/SETREGSET of NT_PRSTATUS, patched at the byte offset
};

/// How the tracer reads and writes a stopped tracee's whole register block in the host's
/// `user_regs_struct` layout: `get`/`set` are ptrace requests, given an iovec of NT_PRSTATUS
/// (`by_regset`) or the block's address.
struct WholeRegs {
  int get;
  int set;
  bool by_regset;
};

/// Where the engine finds the fields of a C struct it reads or copies, per ABI (pointers and
/// `long` are 4 bytes on i386).
struct StackTLayout {  ///< stack_t { void* ss_sp; int ss_flags; size_t ss_size; }
  std::uint8_t sp, flags, size, bytes;
};
struct MsghdrLayout {  ///< struct msghdr { void* msg_name; socklen_t msg_namelen; ... }
  std::uint8_t name, namelen, bytes;
};

/// A few instructions redirect places in its scratch mapping so that a rewritten syscall needs
/// no exit stop (one_stop.h): the tracer points the instruction pointer at `resume`, where the
/// kernel returns after the call; from there the stub loads the program's own argument
/// registers from a header in the thread's scratch slot and jumps to the instruction after
/// the program's syscall instruction. The `syscall_insn_size` bytes before `resume` jump to
/// the restart path, which loads the same registers and jumps back onto the program's own
/// syscall instruction: a call the kernel restarts (it rewinds the instruction pointer by
/// that many bytes) runs again from the program's code, never from the stub. The stub
/// touches no flag, no stack and no other register; its normal path stores the result
/// register into the header, where the tracer reads it when --stats asks (stub_results.h).
struct ReturnStub {
  std::uint8_t size;     ///< bytes of one stub (at most `stride`)
  std::uint8_t stride;   ///< bytes between the stubs of consecutive slots
  std::uint8_t resume;   ///< offset where the syscall returns to (the normal path)
  std::uint8_t restart;  ///< offset of the restart path (up to `size`)
  /// The header the stub reads: the six argument registers as the program set them, in
  /// argument order, then the address after the program's syscall instruction, then that
  /// address minus syscall_insn_size (the instruction itself), then the word where the normal
  /// path stores the call's result register (`result_word`). Little-endian u64s.
  static constexpr std::size_t header_words = 9;
  static constexpr unsigned result_word = 8;
  /// What the tracer writes into the result word: no syscall returns it (results are a
  /// length, an fd, 0 or -4095..-1), so finding it there means the normal path has not run.
  static constexpr std::uint64_t no_result = 0x8000'0000'0000'0000ULL;
  /// Writes the stub at tracee address `at`, reading its header at tracee address `header`,
  /// into `out` (`size` bytes).
  void (*encode)(std::uint64_t at, std::uint64_t header, std::uint8_t* out);
};

/// One syscall ABI as seen from a tracer built for the host architecture. Offsets are byte
/// offsets into the host's `user_regs_struct` (the NT_PRSTATUS register set).
struct Personality {
  const char* name;           ///< "x86_64", "i386", "aarch64": for logs
  std::uint32_t audit_arch;   ///< AUDIT_ARCH_* the kernel reports for this ABI's syscalls
  std::uint8_t pointer_size;  ///< bytes in a tracee pointer (4 for i386)
  std::uint16_t red_zone;     ///< bytes below sp the ABI reserves (128 on x86_64, else 0)
  std::array<std::uint16_t, 6> arg_offset;  ///< syscall argument i lives here
  std::uint16_t nr_offset;                  ///< write the syscall number here to change/cancel it
  std::uint16_t result_offset;              ///< the return value register
  std::uint16_t sp_offset;                  ///< stack pointer
  std::uint16_t ip_offset;                  ///< instruction pointer
  /// Bytes of the instruction that entered the kernel (`syscall`, `int $0x80`, `svc 0`): an
  /// exit stop rewound by this much runs the same syscall instruction again.
  std::uint8_t syscall_insn_size;
  /// The register the syscall instruction reads the number from (x86 rax, aarch64 x8): set to
  /// the number before rewinding, since the kernel left the result in it on x86.
  std::uint16_t restart_nr_offset;
  RegAccess access;
  /// Regset note type to change the syscall number with, when it is not in NT_PRSTATUS
  /// (aarch64: NT_ARM_SYSTEM_CALL); 0 = write nr_offset like any register.
  std::uint32_t nr_regset;
  /// The result register is argument 0's register (aarch64 x0): the kernel overwrites it at
  /// syscall exit, so restoring argument 0 there would clobber the result.
  bool result_is_arg0;
  /// Syscall numbers at or above this are another ABI sharing this audit_arch (x32 on
  /// x86_64); the seccomp filter traps them all. 0 = none.
  std::uint32_t foreign_nr_base;
  /// The syscall that maps redirect's scratch memory with (addr, length, prot, flags, fd, 0):
  /// mmap, or on i386 mmap2 (its offset counts pages; i386's mmap takes a pointer to a struct).
  /// Made through this ABI, the mapping lies where its pointers reach: the kernel places an
  /// i386 call's mapping below 4 GiB (arch/x86/kernel/sys_x86_64.c, in_32bit_syscall).
  std::int32_t scratch_mmap_nr;
  /// mseal (Linux 6.10, number 462 on every ABI here), -1 where the ABI has none.
  std::int32_t mseal_nr;
  StackTLayout stack_t_layout;
  MsghdrLayout msghdr_layout;
  /// Where the interrupted result register is saved in the signal frame the kernel builds for
  /// a handler, from the handler's stack pointer at its first instruction (interrupted_calls.h);
  /// 0 = not known for this ABI.
  std::uint16_t sigframe_result_offset = 0;
  /// Where the frame's ucontext lies, from the same stack pointer: the `void*` a SA_SIGINFO
  /// handler gets points there (unit tests find the frame from it).
  std::uint16_t sigframe_ucontext_offset = 0;
  /// i386 only (0 elsewhere): a handler installed without SA_SIGINFO gets the older, shorter
  /// frame, whose saved result register lies at sigframe_legacy_result_offset. The rt frame
  /// is told from it by its `puc` word at sigframe_puc_offset, which points at the frame's own
  /// ucontext; the older frame holds a segment register there, far below any stack.
  std::uint16_t sigframe_legacy_result_offset = 0;
  std::uint16_t sigframe_puc_offset = 0;
  /// The stub that spares a rewritten call its exit stop; null where every rewrite takes two
  /// stops (one_stop.h).
  const ReturnStub* return_stub = nullptr;
};

/// Bit mask of a tracee pointer's width (i386 pointers are 32 bits in a 64-bit register).
constexpr std::uint64_t pointer_mask(const Personality& p) {
  return p.pointer_size >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * p.pointer_size)) - 1;
}

}  // namespace redirect::arch
