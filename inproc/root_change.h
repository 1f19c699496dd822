// After a chroot the program's paths name files of another tree than the one the rules were
// written for, so a ptrace run leaves every path of such a thread as passed (docs/rules.md,
// "chroot"). In-process the same holds from the moment a chroot of the process succeeds: one
// flag in the process's memory, as the root is one for its threads (CLONE_FS), and inherited
// by its forks, as their root is.
#pragma once

namespace redirect::inproc {

/// Notes the result `result` of a chroot the program made; returns `result` unchanged.
long note_chroot(long result);

/// Whether a chroot of this process (or of the parent it was forked from) succeeded.
[[nodiscard]] bool root_changed();

}  // namespace redirect::inproc
