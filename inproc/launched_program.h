// The program the static launcher started in this process, when it did. Its /proc/self/exe
// names the launcher, not the program (docs/inproc-static.md), so a program that re-executes
// itself through /proc/self/exe (Go's os.Executable, many daemons) would start the launcher
// with its own arguments as PROG ARGS. The exec handler maps such an exec to this path.
#pragma once

#include <string>
#include <string_view>

namespace redirect::inproc {

/// Records the launched program's absolute path. The launcher calls it before arm(), single-
/// threaded; it is read-only afterwards (and in forked children).
void set_launched_program(std::string absolute_path);

/// The path set_launched_program() recorded, or null in a program ld.so started.
[[nodiscard]] const char* launched_program();

/// Whether `path` names this process's own executable through /proc: /proc/self/exe,
/// /proc/thread-self/exe or /proc/PID/exe with PID this process. Handler-safe.
[[nodiscard]] bool names_own_exe(std::string_view path);

}  // namespace redirect::inproc
