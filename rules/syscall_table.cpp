// syscall_table.cpp -- rows of syscalls.def, name and class lookup, per-arch numbers.
//
// Numbers come from libseccomp's per-arch tables, resolved once per arch into an array indexed by
// Sys (and its inverse). Two gaps of libseccomp 2.5.4 are filled here, both checked by the unit
// tests against the kernel headers where those define the number:
// - For i386's socket and SysV IPC calls (socket, bind, semget, recvmmsg, ...) its
//   seccomp_syscall_resolve_name_arch returns pseudo numbers (-101, -201, ...) that stand for
//   socketcall()/ipc() multiplexing, although Linux >= 4.3 also has direct numbers (socket is 359).
//   Its reverse lookup, seccomp_syscall_resolve_num_arch, does know those direct numbers, so a
//   scan of 0..kMaxNr with it fills what the name lookup leaves negative.
// - It does not know syscalls added after futex_requeue (Linux 6.7): those numbers come from
//   kNewer below. Since Linux 5.1 new syscalls share one number on every arch (strace
//   src/linux/generic/syscallent-common.h), so the list is short and per-arch only by presence.
#include "rules/syscall_table.h"

#include <linux/audit.h>
#include <seccomp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <utility>

namespace redirect::rules {
namespace {

// "break_" -> "break": the row of a syscall whose name is a C++ keyword carries a trailing '_'.
constexpr std::string_view row_name(std::string_view written) {
  return written.ends_with('_') ? written.substr(0, written.size() - 1) : written;
}

#define A(i) (1u << (i))
constexpr SyscallInfo kRows[] = {
#define SYSCALL(name, classes, strings, paths) \
  {row_name(#name), (classes), ArgMask(strings), ArgMask(paths)},
#include "rules/syscalls.def"
#undef SYSCALL
};
#undef A

static_assert(std::size(kRows) == sys_count);
static_assert(std::ranges::all_of(kRows, [](const SyscallInfo& r) {
  return (r.paths & ~r.strings) == 0 && r.strings < (1u << 6);
}), "syscalls.def: a path argument must also be a string argument, indexes 0..5");

struct ClassName {
  std::string_view name;
  uint32_t bits;
};

// strace src/basic_filters.c qualify_syscall_class, without the legacy names lacking '%'.
constexpr ClassName kClasses[] = {
    {"%desc", TD},    {"%file", TF},     {"%memory", TM},    {"%process", TP},
    {"%creds", TC},   {"%signal", TS},   {"%ipc", TI},       {"%net", TN},
    {"%network", TN}, {"%stat", TST},    {"%lstat", TLST},   {"%fstat", TFST},
    {"%%stat", TSTA}, {"%statfs", TSF},  {"%fstatfs", TFSF}, {"%%statfs", TSFA},
    {"%pure", PU},    {"%clock", TCL},   {"%exec", TE},
};

constexpr auto kClassNames = [] {
  std::array<std::string_view, std::size(kClasses)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kClasses[i].name;
  return names;
}();

constexpr ArchName kArches[] = {
    {AUDIT_ARCH_X86_64, "x86_64"},
    {AUDIT_ARCH_I386, "i386"},
    {AUDIT_ARCH_AARCH64, "aarch64"},
};

// Syscalls libseccomp 2.5.4 does not know, with their number on x86_64, i386, aarch64 (-1: the
// syscall does not exist there). Source: the kernel's arch/x86/entry/syscalls/syscall_64.tbl,
// syscall_32.tbl and scripts/syscall.tbl; strace src/linux/generic/syscallent-common.h.
struct NewerSyscall {
  Sys sys;
  std::array<int, std::size(kArches)> nr;
};
constexpr NewerSyscall kNewer[] = {
    {Sys::uretprobe, {335, -1, -1}},  // Linux 6.11, x86_64 only
    {Sys::statmount, {457, 457, 457}},
    {Sys::listmount, {458, 458, 458}},
    {Sys::lsm_get_self_attr, {459, 459, 459}},
    {Sys::lsm_set_self_attr, {460, 460, 460}},
    {Sys::lsm_list_modules, {461, 461, 461}},
    {Sys::mseal, {462, 462, 462}},
    {Sys::setxattrat, {463, 463, 463}},
    {Sys::getxattrat, {464, 464, 464}},
    {Sys::listxattrat, {465, 465, 465}},
    {Sys::removexattrat, {466, 466, 466}},
    {Sys::open_tree_attr, {467, 467, 467}},
    {Sys::file_getattr, {468, 468, 468}},
    {Sys::file_setattr, {469, 469, 469}},
};

// Upper bound (exclusive) of native numbers scanned on each arch; the highest is ~470.
constexpr int kMaxNr = 1024;

struct ArchTable {
  std::array<int16_t, sys_count> nr_of;  // by Sys; -1 = absent on this arch
  std::vector<int16_t> sys_of;           // by native number; -1 = not in our table
};

ArchTable build_arch_table(std::size_t arch_index) {
  const uint32_t arch = kArches[arch_index].audit_arch;
  ArchTable t;
  t.nr_of.fill(-1);
  std::array<bool, sys_count> unknown_to_libseccomp{};
  for (std::size_t i = 0; i < sys_count; ++i) {
    const std::string name(kRows[i].name);
    const int nr = seccomp_syscall_resolve_name_arch(arch, name.c_str());
    if (nr >= 0 && nr < kMaxNr) t.nr_of[i] = static_cast<int16_t>(nr);
    unknown_to_libseccomp[i] = nr == __NR_SCMP_ERROR;
  }
  for (int nr = 0; nr < kMaxNr; ++nr) {
    std::unique_ptr<char, decltype(&std::free)> name(seccomp_syscall_resolve_num_arch(arch, nr),
                                                     &std::free);
    if (!name) continue;
    if (auto s = find_syscall(name.get()); s && t.nr_of[static_cast<std::size_t>(*s)] < 0)
      t.nr_of[static_cast<std::size_t>(*s)] = static_cast<int16_t>(nr);
  }
  for (const NewerSyscall& n : kNewer) {
    const auto i = static_cast<std::size_t>(n.sys);
    if (unknown_to_libseccomp[i] && n.nr[arch_index] >= 0)
      t.nr_of[i] = static_cast<int16_t>(n.nr[arch_index]);
  }
  t.sys_of.assign(kMaxNr, -1);
  for (std::size_t i = 0; i < sys_count; ++i) {
    // Two rows never share a number (unit-tested); if they did, the first row would win.
    if (t.nr_of[i] >= 0 && t.sys_of[t.nr_of[i]] < 0) t.sys_of[t.nr_of[i]] = static_cast<int16_t>(i);
  }
  return t;
}

// nullptr for an arch outside kArches. Built on first use, once (thread-safe static init).
const ArchTable* arch_table(uint32_t audit_arch) {
  static const std::array<ArchTable, std::size(kArches)> tables = [] {
    std::array<ArchTable, std::size(kArches)> ts;
    for (std::size_t i = 0; i < ts.size(); ++i) ts[i] = build_arch_table(i);
    return ts;
  }();
  for (std::size_t i = 0; i < std::size(kArches); ++i)
    if (kArches[i].audit_arch == audit_arch) return &tables[i];
  return nullptr;
}

}  // namespace

const SyscallInfo& syscall_info(Sys s) { return kRows[static_cast<std::size_t>(s)]; }

unsigned native_arg(Sys s, unsigned arg, uint32_t audit_arch) {
  // i386: fanotify_mark(fd, flags, mask_lo, mask_hi, dirfd, pathname); strace's i386 table gives
  // it 6 arguments. No other row has a 64-bit argument before a string.
  if (audit_arch == AUDIT_ARCH_I386 && s == Sys::fanotify_mark && arg >= 3) return arg + 1;
  return arg;
}

std::span<const SyscallInfo> all_syscalls() { return kRows; }

std::optional<Sys> find_syscall(std::string_view name) {
  static const auto by_name = [] {
    std::vector<std::pair<std::string_view, Sys>> v;
    v.reserve(sys_count);
    for (std::size_t i = 0; i < sys_count; ++i) v.emplace_back(kRows[i].name, static_cast<Sys>(i));
    std::ranges::sort(v);
    return v;
  }();
  auto it = std::ranges::lower_bound(by_name, name, {}, &std::pair<std::string_view, Sys>::first);
  if (it == by_name.end() || it->first != name) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> find_class(std::string_view written) {
  for (const ClassName& c : kClasses)
    if (c.name == written) return c.bits;
  return std::nullopt;
}

std::span<const std::string_view> class_names() { return kClassNames; }

std::vector<Sys> expand_class(uint32_t classes) {
  std::vector<Sys> out;
  for (std::size_t i = 0; i < sys_count; ++i)
    if (kRows[i].classes & classes) out.push_back(static_cast<Sys>(i));
  return out;
}

std::optional<int> syscall_number(Sys s, uint32_t audit_arch) {
  const ArchTable* t = arch_table(audit_arch);
  if (!t) return std::nullopt;
  const int nr = t->nr_of[static_cast<std::size_t>(s)];
  if (nr < 0) return std::nullopt;
  return nr;
}

std::optional<Sys> syscall_from_number(int nr, uint32_t audit_arch) {
  const ArchTable* t = arch_table(audit_arch);
  if (!t || nr < 0 || nr >= kMaxNr || t->sys_of[nr] < 0) return std::nullopt;
  return static_cast<Sys>(t->sys_of[nr]);
}

std::string syscall_name(int nr, uint32_t audit_arch) {
  if (auto s = syscall_from_number(nr, audit_arch)) return std::string(syscall_info(*s).name);
  return "syscall_" + std::to_string(nr);
}

std::span<const ArchName> known_arches() { return kArches; }

}  // namespace redirect::rules
