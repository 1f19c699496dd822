// syscall_table.cpp -- rows of syscalls.def, name and class lookup, per-arch numbers.
//
// The per-arch numbers are constants generated at build time from libseccomp
// (gen/syscall_numbers_gen.cpp, which also fills libseccomp 2.5.4's gaps: i386's direct socket
// and IPC numbers, and syscalls newer than it knows). Resolving them at run time cost ~3 ms at
// every start of redirect; now the only work left is the inverse table, built at compile time.
#include "rules/syscall_table.h"

#include "rules/edit_distance.h"

#include <linux/audit.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace redirect::rules {
namespace {

// "break_" -> "break": the row of a syscall whose name is a C++ keyword carries a trailing '_'.
#define A(i) (1u << (i))
#define AT(i, d) PathBases::at(i, d)
#define LINK(i) PathBases::link(i)
#define SOCKADDR(i, len) PathBases::sockaddr(i, len)
#define MSGHDR(i) PathBases::msghdr(i)
constexpr SyscallInfo kRows[] = {
#define SYSCALL(name, classes, strings, paths, ...) \
  {row_name(#name), (classes), ArgMask(strings), ArgMask(paths), \
   PathBases{0u __VA_OPT__(| (__VA_ARGS__))}},
#include "rules/syscalls.def"
#undef SYSCALL
};
#undef MSGHDR
#undef SOCKADDR
#undef LINK
#undef AT
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

// Native number of each row, by arch (kKnownArches order) then Sys; -1 = absent on that arch.
constexpr int16_t kNumbers[std::size(kKnownArches)][sys_count] = {
#include "rules/syscall_numbers.inc"
};

// Inverse of kNumbers: our row for each native number, -1 = not in our table. Two rows never
// share a number (unit-tested); if they did, the first row would win.
constexpr auto kRowOf = [] {
  std::array<std::array<int16_t, max_native_nr>, std::size(kKnownArches)> row_of{};
  for (auto& r : row_of) r.fill(-1);
  for (std::size_t a = 0; a < std::size(kKnownArches); ++a)
    for (std::size_t i = 0; i < sys_count; ++i)
      if (const int nr = kNumbers[a][i]; nr >= 0 && row_of[a][nr] < 0)
        row_of[a][nr] = static_cast<int16_t>(i);
  return row_of;
}();

// Index into kKnownArches; -1 for an arch we do not know.
int arch_index(uint32_t audit_arch) {
  for (std::size_t i = 0; i < std::size(kKnownArches); ++i)
    if (kKnownArches[i].audit_arch == audit_arch) return static_cast<int>(i);
  return -1;
}

}  // namespace

const SyscallInfo& syscall_info(Sys s) { return kRows[static_cast<std::size_t>(s)]; }

std::optional<unsigned> PathBase::dirfd_on(Sys s, uint32_t audit_arch) const {
  if (kind != Kind::dirfd && kind != Kind::sockaddr) return std::nullopt;
  return native_arg(s, dirfd_arg, audit_arch);
}

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
  const int a = arch_index(audit_arch);
  if (a < 0) return std::nullopt;
  const int nr = kNumbers[a][static_cast<std::size_t>(s)];
  if (nr < 0) return std::nullopt;
  return nr;
}

std::optional<Sys> syscall_from_number(int nr, uint32_t audit_arch) {
  const int a = arch_index(audit_arch);
  if (a < 0 || nr < 0 || nr >= max_native_nr || kRowOf[a][nr] < 0) return std::nullopt;
  return static_cast<Sys>(kRowOf[a][nr]);
}

std::string syscall_name(int nr, uint32_t audit_arch) {
  if (auto s = syscall_from_number(nr, audit_arch)) return std::string(syscall_info(*s).name);
  return "syscall_" + std::to_string(nr);
}

std::span<const ArchName> known_arches() { return kKnownArches; }

std::optional<std::string_view> suggest_syscall_or_class(std::string_view word) {
  if (word.starts_with('%')) return closest(word, class_names());
  static const std::vector<std::string_view> syscall_names = [] {
    std::vector<std::string_view> names;
    for (const SyscallInfo& row : all_syscalls()) names.push_back(row.name);
    return names;
  }();
  if (auto s = closest(word, syscall_names)) return s;
  return closest("%" + std::string(word), class_names());
}

}  // namespace redirect::rules
