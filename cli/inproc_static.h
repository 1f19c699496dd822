// Static programs under `redirect --backend inproc`. A static program has no ld.so to load
// libredirect-inproc.so with LD_AUDIT, so redirect execs the launcher, redirect-inproc-exec,
// in its exec form instead (docs/inproc-static.md): argv unchanged, REDIRECT_INPROC_EXEC
// naming the program. The launcher maps the program into its own process, arms the runtime
// and jumps to it. What the launcher cannot start as the program expects is refused here.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace redirect::cli {

/// Whether `path` is an ELF program with no interpreter (static, or static-pie).
[[nodiscard]] bool is_static_program(const std::string& path);

/// Why the static program at `path` cannot be run through `launcher` (empty: not found, after
/// looking at `looked`), or nullopt: no launcher, or a set-user-ID or set-group-ID file owned
/// by someone else, which would run without its privilege.
[[nodiscard]] std::optional<std::string> launcher_refusal(const std::string& path,
                                                          const std::string& launcher,
                                                          const std::vector<std::string>& looked);

/// Where redirect-inproc-exec is: $REDIRECT_INPROC_LAUNCHER, else beside `library` (where it
/// is installed and built). `looked` lists the paths tried.
[[nodiscard]] std::optional<std::string> find_launcher(const std::string& library,
                                                       std::vector<std::string>& looked);

/// Execs `launcher` in its exec form for the static program at `path`, with `command` as its
/// argv. Returns only on failure, with redirect's exit status, having said why on stderr.
[[nodiscard]] int exec_launcher(const std::string& launcher, const std::string& path,
                                std::vector<std::string>& command);

}  // namespace redirect::cli
