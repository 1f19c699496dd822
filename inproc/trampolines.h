// The code a rewritten syscall site jumps to (lazy_sites.h). Syscall User Dispatch lets through
// one address range, so the trampolines, which make the calls, live inside it: a page-aligned
// area at the end of gadget.S's region, reserved in our image (filled with int3) and written
// here one 64-byte slot per site, of one of two kinds:
//   - a site whose number is fixed (`mov $NR,%eax; syscall`):
//         mov $NR, %eax ; syscall ; jmp SITE+2     (jmp rel32, or jmp *0(%rip) + address)
//   - a site whose number comes in rax (glibc's syscall(): `mov 0x8(%rsp),%r9; syscall`): the
//     5-byte instruction before the `syscall` is moved into the slot, and the number checked
//     against a bitmap of the calls the handler has no work for:
//         <moved> ; cmp $512,%rax ; jae 1f ; lea BITMAP(%rip),%r11 ; bt %rax,(%r11) ; jnc 1f
//         syscall ; jmp SITE+2
//      1: jmp SITE                                  (the site's own syscall: it traps)
//     It changes the flags and r11, which such a site's `syscall` clobbers or the instruction
//     after it overwrites (the caller checks that instruction).
// Nothing but these slots is ever written into the area, so no code of the program's runs
// inside the allowed region. A site more than 2 GiB away from the area (a program's own text
// at 0x400000 or 0x55..., far from the libraries) cannot reach it with a jmp rel32: it jumps
// to a stub (`jmp *0(%rip)` + the slot's address) in a page mapped within 2 GiB of it.
// A system call interrupted in a slot is restarted there (the kernel rewinds rip by 2 onto the
// slot's own `syscall` with rax = NR), inside the region: it never traps.
// Callers: one thread in the address space, every signal blocked (pages are flipped RW/RX).
#pragma once

#include <cstdint>

namespace redirect::inproc {

/// Writes a slot that makes call `nr` and goes on at `resume` (the instruction after the site's
/// `syscall`). Returns its address, or 0 when the area is full or cannot be written.
[[nodiscard]] std::uintptr_t make_trampoline(std::uint32_t nr, std::uintptr_t resume);

/// Numbers below this may be in make_filtered_trampoline()'s bitmap; any other traps.
inline constexpr std::uint32_t kDirectCalls = 512;

/// Writes a slot for a site whose number comes in rax: it runs `moved` (the 5 bytes before the
/// site's `syscall`, position-independent), then makes the call itself when bit rax of `direct`
/// (kDirectCalls bits, within 2 GiB of the slots: our own image) is set, else jumps to the
/// `syscall` at `site`, which traps. Returns its address, or 0 as make_trampoline().
[[nodiscard]] std::uintptr_t make_filtered_trampoline(const unsigned char (&moved)[5],
                                                      std::uintptr_t site,
                                                      const unsigned char* direct);

/// Where a `jmp rel32` ending at `next` (the address after the jmp) goes to reach `target`:
/// `target` itself when it is within range, else a stub near `next` that jumps to it. 0 when no
/// stub could be placed within range.
[[nodiscard]] std::uintptr_t reachable_from(std::uintptr_t next, std::uintptr_t target);

/// Whether `target` is within a `jmp rel32` ending at `next`.
[[nodiscard]] bool within_rel32(std::uintptr_t next, std::uintptr_t target);

}  // namespace redirect::inproc
