// Reading C strings from and writing bytes into a stopped tracee. process_vm_readv/writev move
// a whole string in one syscall; reading goes page by page because the kernel does not split
// a partial transfer inside one iovec (process_vm_readv(2)): asking for PATH_MAX bytes that
// cross into an unmapped page would fail although the string ends before it. The surprise:
// process_vm_* check PTRACE_MODE_ATTACH_REALCREDS like a new attach, so they fail with EPERM
// when the tracee's credentials differ from ours (and for a non-dumpable tracee), although we
// are its tracer; PTRACE_PEEKDATA/POKEDATA then take over. They in turn fail for a
// non-dumpable tracee (prctl(PR_SET_DUMPABLE, 0), an execute-only binary) unless the tracer
// has CAP_SYS_PTRACE (kernel/ptrace.c ptrace_access_vm): that is Status::forbidden.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include <fmt/format.h>

#include "engine/string_reader.h"

namespace redirect::engine {

/// An address in a tracee (rr src/remote_ptr.h): never dereferenced by the tracer.
struct RemotePtr {
  std::uint64_t addr = 0;
  friend bool operator==(RemotePtr, RemotePtr) = default;
};
inline auto format_as(RemotePtr p) { return fmt::format("{:#x}", p.addr); }

/// Reads the NUL-terminated string at `addr` of `tid` into `buf` (NUL included), reading no
/// further than its NUL and at most buf.size() bytes. Never throws; the outcomes are values.
[[nodiscard]] StringRead read_c_string(pid_t tid, RemotePtr addr, std::span<char> buf) noexcept;

/// Reads exactly out.size() bytes at `addr` (process_vm_readv, else PTRACE_PEEKDATA). False
/// when they cannot all be read. Never throws.
[[nodiscard]] bool read_bytes(pid_t tid, RemotePtr addr, std::span<char> out) noexcept;

/// One piece of a scattered write.
struct RemoteWrite {
  RemotePtr to;
  std::span<const char> bytes;
};

/// Writes every piece into `tid`, all with one process_vm_writev when it can (PTRACE_POKEDATA
/// below a stack mapping that has not grown that far yet, see remote_mem.cpp). Returns 0, ESRCH
/// when the tracee died, or the errno of the write that failed (EFAULT/EIO: not mapped). Never
/// throws. A failure can leave a prefix written (it lies below the stack pointer: harmless).
[[nodiscard]] int write_remote(pid_t tid, std::span<const RemoteWrite> pieces) noexcept;

}  // namespace redirect::engine
