// What a path call does to the file it names, for a packager: read, write, exec or only look
// it up. One implementation for `redirect trace`'s report and for --no-host-writes, which both
// backends decide with (rules/host_writes.h): the ptrace tracer and the in-process SIGSYS
// handler, where nothing may allocate. The surprise: glibc's O_TMPFILE includes O_DIRECTORY,
// so only the bit of its own says "a temporary file".
#pragma once

#include <cstdint>

#include "rules/sys.h"

namespace redirect::rules {

/// What a path call does to its file.
enum class Access : std::uint8_t { read, write, exec, metadata };

/// open/openat/openat2 by their flags (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_TMPFILE write;
/// O_PATH metadata), creat and the calls that create, remove or change a file write, the exec
/// family exec, everything else (stat, access, readlink, chdir...) metadata. Allocation-free.
[[nodiscard]] Access access_of(Sys s, std::uint64_t open_flags);

/// Whether `s` is open, openat or openat2 (whose flags access_of reads).
[[nodiscard]] bool is_open_call(Sys s);

}  // namespace redirect::rules
