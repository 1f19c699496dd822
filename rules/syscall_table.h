// syscall_table.h -- what we know about each syscall, by name, class and per-arch number.
//
// The rows come from syscalls.def and are the same on every architecture; only the numbers
// differ, and those come from libseccomp (`seccomp_syscall_resolve_name_arch`, whose arch tokens
// are the AUDIT_ARCH_* values) at build time, by gen/syscall_numbers_gen.cpp, so neither a
// start of redirect nor a syscall stop pays for a lookup. The surprise: libseccomp 2.5.4 answers
// i386's socket and SysV IPC calls with socketcall()/ipc() pseudo numbers although Linux >= 4.3
// has direct ones, and it does not know syscalls newer than futex_requeue; the generator fills
// both gaps (see there).
#pragma once

#include <linux/audit.h>

#include "rules/sys.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace redirect::rules {

/// strace's trace classes (strace src/sysent.h TRACE_*), plus TE for our `%exec`.
enum SysClass : uint32_t {
  TD = 1u << 0,     ///< %desc: takes or returns a file descriptor
  TF = 1u << 1,     ///< %file: takes a file name
  TI = 1u << 2,     ///< %ipc
  TN = 1u << 3,     ///< %network (also %net)
  TP = 1u << 4,     ///< %process
  TS = 1u << 5,     ///< %signal
  TM = 1u << 6,     ///< %memory
  TST = 1u << 7,    ///< %stat
  TLST = 1u << 8,   ///< %lstat
  TFST = 1u << 9,   ///< %fstat
  TSTA = 1u << 10,  ///< %%stat: every stat variant
  TSF = 1u << 11,   ///< %statfs
  TFSF = 1u << 12,  ///< %fstatfs
  TSFA = 1u << 13,  ///< %%statfs: every statfs variant
  PU = 1u << 14,    ///< %pure: no arguments, always succeeds
  TC = 1u << 15,    ///< %creds
  TCL = 1u << 16,   ///< %clock
  TE = 1u << 17,    ///< %exec: execve, execveat (ours, not strace's)
  /// Not a class rules can name: creates, removes, renames or changes a file or directory
  /// beyond the open family (mkdir, unlink, rename, chmod, utimensat...), for trace.
  WR = 1u << 18,
};

/// Bit i set = argument i (0-based). Syscalls have at most 6 arguments.
using ArgMask = uint8_t;


/// What a relative path argument is relative to (syscalls.def's `bases` column).
struct PathBase {
  enum class Kind : uint8_t {
    cwd,    ///< the calling thread's working directory
    dirfd,  ///< the directory open on argument `dirfd_arg` (AT_FDCWD: the working directory)
    link,   ///< a symlink's target: stored as written, never resolved at the call
    /// Not a C string: a `struct sockaddr` whose length is argument `dirfd_arg`; an AF_UNIX
    /// one's sun_path is a path relative to the working directory (abstract ones are no path).
    sockaddr,
    /// Not a C string: a `struct msghdr` whose msg_name is such a sockaddr (sendmsg).
    msghdr,
  };
  Kind kind = Kind::cwd;
  uint8_t dirfd_arg = 0;  ///< neutral index (x86_64/aarch64 numbering); sockaddr: its length

  /// The register position of the dirfd on `audit_arch` (native_arg), or nullopt when the path
  /// is not relative to a dirfd.
  [[nodiscard]] std::optional<unsigned> dirfd_on(Sys s, uint32_t audit_arch) const;
};

/// The `bases` column packed: four bits per argument, 0 = cwd, d+1 = dirfd argument d (1..6),
/// 7+l = a sockaddr whose length is argument l (7..12), 13 = a msghdr, 15 = link.
struct PathBases {
  uint32_t bits = 0;
  static constexpr uint32_t at(unsigned arg, unsigned dirfd) { return (dirfd + 1u) << (4 * arg); }
  static constexpr uint32_t link(unsigned arg) { return 15u << (4 * arg); }
  static constexpr uint32_t sockaddr(unsigned arg, unsigned len) { return (7u + len) << (4 * arg); }
  static constexpr uint32_t msghdr(unsigned arg) { return 13u << (4 * arg); }
  [[nodiscard]] constexpr PathBase of(unsigned arg) const {
    unsigned v = (bits >> (4 * arg)) & 15u;
    if (v == 0) return {};
    if (v == 15) return {PathBase::Kind::link, 0};
    if (v == 13) return {PathBase::Kind::msghdr, 0};
    if (v >= 7) return {PathBase::Kind::sockaddr, static_cast<uint8_t>(v - 7)};
    return {PathBase::Kind::dirfd, static_cast<uint8_t>(v - 1)};
  }
};

/// One row of syscalls.def.
struct SyscallInfo {
  std::string_view name;  ///< as the kernel spells it: "newfstatat"
  uint32_t classes;       ///< SysClass bits
  ArgMask strings;        ///< arguments that are NUL-terminated C strings (or socket addresses)
  ArgMask paths;          ///< the subset of `strings` that are paths
  PathBases bases;        ///< what each relative path argument is relative to
};

/// Row of `s`, with argument indexes as on x86_64 and aarch64.
const SyscallInfo& syscall_info(Sys s);

/// The register position on `audit_arch` of neutral argument `arg` of `s` (the index used by
/// syscalls.def and rule files). Equal to `arg` except where a 64-bit argument before it takes
/// two registers: on i386 fanotify_mark's pathname, argument 4, is in register 5. Unknown
/// arches return `arg`.
unsigned native_arg(Sys s, unsigned arg, uint32_t audit_arch);

/// Every row; index == static_cast<size_t>(Sys value).
std::span<const SyscallInfo> all_syscalls();

/// Exact name lookup ("openat", "break"); nullopt when no row has that name.
[[nodiscard]] std::optional<Sys> find_syscall(std::string_view name);

/// Class by its written name with the percent sign(s): "%file", "%exec", "%%stat", "%net"...
/// nullopt when unknown (including names written without '%').
[[nodiscard]] std::optional<uint32_t> find_class(std::string_view written);

/// Every class name find_class accepts, for did-you-mean and docs.
std::span<const std::string_view> class_names();

/// All syscalls having any of the bits in `classes`, in table order (one scan, as strace's
/// src/basic_filters.c qualify_syscall_class, which wants all bits: the same for the single bit
/// find_class returns). Empty for 0.
std::vector<Sys> expand_class(uint32_t classes);

/// Native number of `s` on the architecture `audit_arch` (AUDIT_ARCH_X86_64, AUDIT_ARCH_I386,
/// AUDIT_ARCH_AARCH64); nullopt when the syscall does not exist there (open on aarch64) or the
/// arch is not one of known_arches(). A constant lookup.
[[nodiscard]] std::optional<int> syscall_number(Sys s, uint32_t audit_arch);

/// Reverse of syscall_number: our row for a native number; nullopt if no row has that number
/// on that arch (or the arch is unknown).
[[nodiscard]] std::optional<Sys> syscall_from_number(int nr, uint32_t audit_arch);

/// Printable name of a native number: the table name, or "syscall_<nr>" when unknown.
std::string syscall_name(int nr, uint32_t audit_arch);

/// An architecture we compile rules for.
struct ArchName {
  uint32_t audit_arch;    ///< AUDIT_ARCH_* value
  std::string_view name;  ///< "x86_64", "i386", "aarch64"
};

/// x86_64, i386 and aarch64, in that order: also the order of the generated number tables
/// (gen/syscall_numbers_gen.cpp includes this header for it).
inline constexpr ArchName kKnownArches[] = {
    {AUDIT_ARCH_X86_64, "x86_64"},
    {AUDIT_ARCH_I386, "i386"},
    {AUDIT_ARCH_AARCH64, "aarch64"},
};

/// Upper bound (exclusive) of native numbers on every known arch; the highest is ~470. The
/// generator refuses anything beyond it.
inline constexpr int max_native_nr = 1024;

/// The kernel's name of the syscalls.def row written `written`: i386's `break` is a C++
/// keyword, so its row says `break_`.
constexpr std::string_view row_name(std::string_view written) {
  return written.ends_with('_') ? written.substr(0, written.size() - 1) : written;
}

/// kKnownArches as a span.
std::span<const ArchName> known_arches();

/// Suggestion for a misspelled entry of a rule's `syscalls` list: a class name when `word`
/// starts with '%' ("%fiel" -> "%file"), else a syscall name ("opnat" -> "openat") or, failing
/// that, a class written without its '%' ("file" -> "%file"). nullopt when nothing is close.
/// The view points into static storage.
[[nodiscard]] std::optional<std::string_view> suggest_syscall_or_class(std::string_view word);

}  // namespace redirect::rules
