// sys.h -- the architecture-neutral syscall enum, one enumerator per row of syscalls.def.
//
// A Sys value is an index into our table, never a kernel syscall number: `Sys::openat` is the
// same value on every architecture, and the per-arch numbers come from syscall_table.h. The
// enumerators are spelled exactly as the kernel spells the syscall (`Sys::newfstatat`), so grep
// finds both.
#pragma once

#include <cstddef>
#include <cstdint>

namespace redirect::rules {

enum class Sys : uint16_t {
#define SYSCALL(name, ...) name,
#include "rules/syscalls.def"
#undef SYSCALL
};

/// Arguments a syscall can have, on every Linux ABI (registers arg0..arg5).
inline constexpr std::size_t kSyscallArgs = 6;

/// Number of rows in syscalls.def; every Sys value is below it.
inline constexpr std::size_t sys_count = 0
#define SYSCALL(name, ...) +1
#include "rules/syscalls.def"
#undef SYSCALL
    ;

}  // namespace redirect::rules
