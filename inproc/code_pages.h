// Writing a few bytes into the program's code, for lazy_sites.h: which pages may be written,
// and a write that leaves each page's protection exactly as it was. The facts come from
// /proc/self/maps, read with raw system calls at every write (a cache could outlive an
// mprotect or munmap the program made from a rewritten site, which no longer traps). A page
// may be written only when its mapping is the program's executable code: readable and
// executable, private (a shared mapping would carry the bytes into its file), backed by a file
// or anonymous (a JIT's), and not our own image (the library, or the launcher with the runtime
// linked in) nor a special mapping of the kernel's ([vdso], [vsyscall]). A page that is not
// writable is made writable for the write with its other bits kept, PROT_EXEC included (should
// the restore be refused, the page stays usable), then given back exactly its old protection;
// a writable one (a JIT's RWX page) is written as it is. A refused mprotect (a W^X policy,
// SELinux execmod, an mseal'd mapping) means no write: the caller keeps trapping.
// Callers: one thread in the address space, every signal blocked.
#pragma once

#include <cstddef>
#include <cstdint>

namespace redirect::inproc {

/// The pages of one code range and what /proc/self/maps says of each (at most two: a range
/// of up to a page's size).
struct CodeSpan {
  std::uintptr_t start = 0;
  std::size_t size = 0;
  int pages = 0;
  std::uintptr_t page[2] = {};
  int prot[2] = {};  // PROT_* as the maps line says
};

/// Our own image, whose code is never written: [lo, hi).
void set_own_image(std::uintptr_t lo, std::uintptr_t hi);

/// Whether `size` bytes (1..4096) at `start` lie in the program's code as above; fills `span`.
/// False when /proc/self/maps cannot be read or any page fails a condition.
[[nodiscard]] bool inspect_code(std::uintptr_t start, std::size_t size, CodeSpan& span);

/// Copies `bytes` (span.size of them) to span.start. False, with nothing written, when a page
/// could not be made writable. `protection_kept` is false when a page's old protection could
/// not be put back (the bytes are written; the page stays writable).
[[nodiscard]] bool write_code(const CodeSpan& span, const unsigned char* bytes,
                              bool& protection_kept);

}  // namespace redirect::inproc
