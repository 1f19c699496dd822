// Whether the program installed a seccomp filter of its own in this process (or a parent it
// was forked from): from then on the runtime makes no call of its own that such a filter may
// answer by killing the process, as natively nothing would have made it (a filter that kills
// mmap, which the launcher needs to load a static program; exec's environment array is built
// without one). Noted by the dispatch trap that sees seccomp(2) or prctl(PR_SET_SECCOMP)
// (lazy_sites.cpp); a filter inherited across an exec is not known to the new program.
#pragma once

namespace redirect::inproc {

/// The program is installing a seccomp filter.
void note_program_filter();

/// Whether it did, in this process or the one it was forked from.
[[nodiscard]] bool program_installed_filter();

}  // namespace redirect::inproc
