// Tests of rules/syscall_table: rows, classes, names and per-arch numbers. Numbers are checked
// against libseccomp (which must know every row's name, catching typos in syscalls.def) and,
// where the host has them, against the kernel's own headers. The string/path expectations are
// written out here by hand on purpose: they are the table's contract with the rewriter.
#include "rules/syscall_table.h"

#include <doctest/doctest.h>
#include <linux/audit.h>
#include <seccomp.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#if __has_include(<asm/unistd_64.h>)
#include <asm/unistd_64.h>
#define REDIRECT_TEST_HAVE_X86_64_HEADERS 1
#endif

using namespace redirect::rules;

namespace {

std::vector<std::string> names_of(const std::vector<Sys>& list) {
  std::vector<std::string> out;
  for (Sys s : list) out.emplace_back(syscall_info(s).name);
  return out;
}

std::vector<std::string> expand(std::string_view written) {
  auto bits = find_class(written);
  REQUIRE(bits);
  return names_of(expand_class(*bits));
}

bool contains(const std::vector<std::string>& v, std::string_view name) {
  return std::find(v.begin(), v.end(), name) != v.end();
}

ArgMask args(std::initializer_list<int> indexes) {
  ArgMask m = 0;
  for (int i : indexes) m |= static_cast<ArgMask>(1u << i);
  return m;
}

const SyscallInfo& row(std::string_view name) {
  auto s = find_syscall(name);
  REQUIRE_MESSAGE(s, "no row named ", name);
  return syscall_info(*s);
}

// Rows libseccomp 2.5.4 does not know (kNewer in rules/gen/syscall_numbers_gen.cpp).
const std::set<std::string_view> kNewerThanLibseccomp = {
    "uretprobe",     "statmount",      "listmount",    "lsm_get_self_attr", "lsm_set_self_attr",
    "lsm_list_modules", "mseal",       "setxattrat",   "getxattrat",        "listxattrat",
    "removexattrat", "open_tree_attr", "file_getattr", "file_setattr"};

}  // namespace

TEST_CASE("syscall_table: every row is a syscall libseccomp knows on some arch") {
  for (const SyscallInfo& r : all_syscalls()) {
    const std::string name(r.name);
    bool known = false;
    for (const ArchName& a : known_arches())
      known = known || seccomp_syscall_resolve_name_arch(a.audit_arch, name.c_str()) >= 0;
    CHECK_MESSAGE((known || kNewerThanLibseccomp.count(r.name) == 1), name);
  }
}

TEST_CASE("syscall_table: every row has a number on at least one arch, none shared") {
  for (std::size_t i = 0; i < sys_count; ++i) {
    bool somewhere = false;
    for (const ArchName& a : known_arches())
      somewhere = somewhere || syscall_number(Sys(i), a.audit_arch).has_value();
    CHECK_MESSAGE(somewhere, all_syscalls()[i].name);
  }
  for (const ArchName& a : known_arches()) {
    for (std::size_t i = 0; i < sys_count; ++i) {
      auto nr = syscall_number(Sys(i), a.audit_arch);
      if (!nr) continue;
      INFO(a.name, " ", all_syscalls()[i].name, " ", *nr);
      CHECK(syscall_from_number(*nr, a.audit_arch) == Sys(i));
    }
  }
}

TEST_CASE("syscall_table: numbers agree with libseccomp wherever it gives one") {
  for (const ArchName& a : known_arches()) {
    for (std::size_t i = 0; i < sys_count; ++i) {
      const std::string name(all_syscalls()[i].name);
      const int nr = seccomp_syscall_resolve_name_arch(a.audit_arch, name.c_str());
      if (nr < 0) continue;
      INFO(a.name, " ", name);
      CHECK(syscall_number(Sys(i), a.audit_arch) == nr);
    }
  }
}

TEST_CASE("syscall_table: numbers per arch") {
  SUBCASE("x86_64") {
    CHECK(syscall_number(Sys::openat, AUDIT_ARCH_X86_64) == 257);
    CHECK(syscall_number(Sys::open, AUDIT_ARCH_X86_64) == 2);
    CHECK(syscall_number(Sys::fstatat64, AUDIT_ARCH_X86_64) == std::nullopt);
    CHECK(syscall_number(Sys::uretprobe, AUDIT_ARCH_X86_64) == 335);
    CHECK(syscall_number(Sys::setxattrat, AUDIT_ARCH_X86_64) == 463);
  }
  SUBCASE("i386: values of asm/unistd_32.h") {
    CHECK(syscall_number(Sys::open, AUDIT_ARCH_I386) == 5);
    CHECK(syscall_number(Sys::openat, AUDIT_ARCH_I386) == 295);
    CHECK(syscall_number(Sys::fstatat64, AUDIT_ARCH_I386) == 300);
    CHECK(syscall_number(Sys::newfstatat, AUDIT_ARCH_I386) == std::nullopt);
    CHECK(syscall_number(Sys::break_, AUDIT_ARCH_I386) == 17);
    // Direct socket/IPC numbers (Linux >= 4.3), which libseccomp's name lookup hides.
    CHECK(syscall_number(Sys::socket, AUDIT_ARCH_I386) == 359);
    CHECK(syscall_number(Sys::recvmmsg, AUDIT_ARCH_I386) == 337);
    CHECK(syscall_number(Sys::msgctl, AUDIT_ARCH_I386) == 402);
    CHECK(syscall_number(Sys::accept, AUDIT_ARCH_I386) == std::nullopt);  // only via socketcall
    CHECK(syscall_number(Sys::uretprobe, AUDIT_ARCH_I386) == std::nullopt);
  }
  SUBCASE("aarch64: asm-generic numbers") {
    CHECK(syscall_number(Sys::openat, AUDIT_ARCH_AARCH64) == 56);
    CHECK(syscall_number(Sys::newfstatat, AUDIT_ARCH_AARCH64) == 79);
    CHECK(syscall_number(Sys::execve, AUDIT_ARCH_AARCH64) == 221);
    CHECK(syscall_number(Sys::open, AUDIT_ARCH_AARCH64) == std::nullopt);
    CHECK(syscall_number(Sys::stat, AUDIT_ARCH_AARCH64) == std::nullopt);
    CHECK(syscall_number(Sys::rename, AUDIT_ARCH_AARCH64) == std::nullopt);
    CHECK(syscall_number(Sys::file_setattr, AUDIT_ARCH_AARCH64) == 469);
  }
  SUBCASE("unknown arch") {
    CHECK(syscall_number(Sys::openat, AUDIT_ARCH_PPC64LE) == std::nullopt);
    CHECK(syscall_from_number(56, AUDIT_ARCH_PPC64LE) == std::nullopt);
  }
#ifdef REDIRECT_TEST_HAVE_X86_64_HEADERS
  SUBCASE("x86_64: values of asm/unistd_64.h") {
    CHECK(syscall_number(Sys::openat, AUDIT_ARCH_X86_64) == __NR_openat);
    CHECK(syscall_number(Sys::execve, AUDIT_ARCH_X86_64) == __NR_execve);
    CHECK(syscall_number(Sys::newfstatat, AUDIT_ARCH_X86_64) == __NR_newfstatat);
    CHECK(syscall_number(Sys::fanotify_mark, AUDIT_ARCH_X86_64) == __NR_fanotify_mark);
    CHECK(syscall_number(Sys::faccessat2, AUDIT_ARCH_X86_64) == __NR_faccessat2);
    CHECK(syscall_number(Sys::set_mempolicy_home_node, AUDIT_ARCH_X86_64) ==
          __NR_set_mempolicy_home_node);
  }
#endif
}

TEST_CASE("syscall_table: names of native numbers") {
  CHECK(syscall_from_number(257, AUDIT_ARCH_X86_64) == Sys::openat);
  CHECK(syscall_from_number(56, AUDIT_ARCH_AARCH64) == Sys::openat);
  CHECK(syscall_from_number(1023, AUDIT_ARCH_X86_64) == std::nullopt);
  CHECK(syscall_from_number(-1, AUDIT_ARCH_X86_64) == std::nullopt);
  CHECK(syscall_name(257, AUDIT_ARCH_X86_64) == "openat");
  CHECK(syscall_name(5, AUDIT_ARCH_I386) == "open");
  CHECK(syscall_name(17, AUDIT_ARCH_I386) == "break");
  CHECK(syscall_name(9999, AUDIT_ARCH_X86_64) == "syscall_9999");
  CHECK(syscall_name(-1, AUDIT_ARCH_AARCH64) == "syscall_-1");
}

TEST_CASE("syscall_table: name lookup") {
  CHECK(find_syscall("openat") == Sys::openat);
  CHECK(find_syscall("_llseek") == Sys::_llseek);
  CHECK(find_syscall("break") == Sys::break_);
  CHECK(find_syscall("break_") == std::nullopt);
  CHECK(find_syscall("opnat") == std::nullopt);
  CHECK(find_syscall("") == std::nullopt);
  CHECK(find_syscall("%file") == std::nullopt);
  CHECK(syscall_info(Sys::newfstatat).name == "newfstatat");
  CHECK(all_syscalls().size() == sys_count);
  for (std::size_t i = 0; i < sys_count; ++i)
    CHECK(find_syscall(all_syscalls()[i].name) == Sys(i));
}

TEST_CASE("syscall_table: class names") {
  CHECK(find_class("%file") == TF);
  CHECK(find_class("%exec") == TE);
  CHECK(find_class("%%stat") == TSTA);
  CHECK(find_class("%net") == TN);
  CHECK(find_class("%network") == TN);
  CHECK(find_class("%desc") == TD);
  CHECK(find_class("file") == std::nullopt);
  CHECK(find_class("%fiel") == std::nullopt);
  CHECK(class_names().size() == 19);
  for (std::string_view name : class_names()) CHECK(find_class(name));
}

TEST_CASE("syscall_table: socket address arguments") {
  CHECK(row("bind").bases.of(1).kind == PathBase::Kind::sockaddr);
  CHECK(row("bind").bases.of(1).dirfd_arg == 2);
  CHECK(row("sendto").bases.of(4).kind == PathBase::Kind::sockaddr);
  CHECK(row("sendto").bases.of(4).dirfd_arg == 5);
  CHECK(row("sendmsg").bases.of(1).kind == PathBase::Kind::msghdr);
  CHECK(row("openat").bases.of(1).kind == PathBase::Kind::dirfd);
}

TEST_CASE("syscall_table: class expansion") {
  SUBCASE("%file: every syscall with a path argument, execve included") {
    auto file = expand("%file");
    for (auto name : {"execve", "execveat", "open", "openat", "openat2", "symlinkat", "rename",
                      "renameat2", "stat", "newfstatat", "fstatat64", "statx", "mount",
                      "inotify_add_watch", "fanotify_mark", "chown32", "getcwd"})
      CHECK_MESSAGE(contains(file, name), name);
    for (auto name : {"read", "fstat", "fchmod", "fsetxattr", "memfd_create", "socket", "recvmsg"})
      CHECK_MESSAGE(!contains(file, name), name);
    // %file = the rows with a path, plus two strace puts there that have none, the socket
    // calls included: their AF_UNIX addresses are paths (strace counts them as %network only).
    for (const SyscallInfo& r : all_syscalls()) {
      const bool exception = r.name == "getcwd" || r.name == "fsconfig";
      CHECK_MESSAGE(((r.classes & TF) != 0) == (r.paths != 0 || exception), r.name);
    }
    for (auto name : {"bind", "connect", "sendto", "sendmsg"}) CHECK_MESSAGE(contains(file, name), name);
  }
  SUBCASE("%exec") {
    CHECK(expand("%exec") == std::vector<std::string>{"execve", "execveat"});
  }
  SUBCASE("stat families, in table order") {
    CHECK(expand("%stat") == std::vector<std::string>{"stat", "oldstat", "stat64"});
    CHECK(expand("%lstat") == std::vector<std::string>{"lstat", "oldlstat", "lstat64"});
    CHECK(expand("%fstat") == std::vector<std::string>{"fstat", "newfstatat", "statx", "oldfstat",
                                                       "fstat64", "fstatat64"});
    CHECK(expand("%%stat") ==
          std::vector<std::string>{"stat", "fstat", "lstat", "newfstatat", "statx", "oldstat",
                                   "oldfstat", "oldlstat", "stat64", "lstat64", "fstat64",
                                   "fstatat64"});
    CHECK(expand("%statfs") == std::vector<std::string>{"statfs", "statfs64"});
    CHECK(expand("%fstatfs") == std::vector<std::string>{"fstatfs", "fstatfs64"});
    CHECK(expand("%%statfs") ==
          std::vector<std::string>{"ustat", "statfs", "fstatfs", "statfs64", "fstatfs64"});
  }
  SUBCASE("several bits: any of them") {
    auto both = names_of(expand_class(TST | TLST));
    CHECK(both == std::vector<std::string>{"stat", "lstat", "oldstat", "oldlstat", "stat64",
                                           "lstat64"});
    CHECK(expand_class(0).empty());
  }
}

TEST_CASE("syscall_table: string and path arguments") {
  struct Expect {
    std::string_view name;
    ArgMask strings;
    ArgMask paths;
  };
  // Every path-taking syscall of x86_64, i386 and aarch64, and the other C-string arguments.
  const Expect expected[] = {
      {"open", args({0}), args({0})},           {"creat", args({0}), args({0})},
      {"openat", args({1}), args({1})},         {"openat2", args({1}), args({1})},
      {"execve", args({0}), args({0})},         {"execveat", args({1}), args({1})},
      {"rename", args({0, 1}), args({0, 1})},   {"renameat", args({1, 3}), args({1, 3})},
      {"renameat2", args({1, 3}), args({1, 3})}, {"link", args({0, 1}), args({0, 1})},
      {"linkat", args({1, 3}), args({1, 3})},   {"symlink", args({0, 1}), args({0, 1})},
      {"symlinkat", args({0, 2}), args({0, 2})}, {"mkdir", args({0}), args({0})},
      {"mkdirat", args({1}), args({1})},        {"mknod", args({0}), args({0})},
      {"mknodat", args({1}), args({1})},        {"unlink", args({0}), args({0})},
      {"unlinkat", args({1}), args({1})},       {"rmdir", args({0}), args({0})},
      {"chdir", args({0}), args({0})},          {"chroot", args({0}), args({0})},
      {"pivot_root", args({0, 1}), args({0, 1})}, {"access", args({0}), args({0})},
      {"faccessat", args({1}), args({1})},      {"faccessat2", args({1}), args({1})},
      {"stat", args({0}), args({0})},           {"lstat", args({0}), args({0})},
      {"oldstat", args({0}), args({0})},        {"oldlstat", args({0}), args({0})},
      {"stat64", args({0}), args({0})},         {"lstat64", args({0}), args({0})},
      {"newfstatat", args({1}), args({1})},     {"fstatat64", args({1}), args({1})},
      {"statx", args({1}), args({1})},          {"readlink", args({0}), args({0})},
      {"readlinkat", args({1}), args({1})},     {"chmod", args({0}), args({0})},
      {"fchmodat", args({1}), args({1})},       {"fchmodat2", args({1}), args({1})},
      {"chown", args({0}), args({0})},          {"lchown", args({0}), args({0})},
      {"chown32", args({0}), args({0})},        {"lchown32", args({0}), args({0})},
      {"fchownat", args({1}), args({1})},       {"truncate", args({0}), args({0})},
      {"truncate64", args({0}), args({0})},     {"utime", args({0}), args({0})},
      {"utimes", args({0}), args({0})},         {"futimesat", args({1}), args({1})},
      {"utimensat", args({1}), args({1})},      {"utimensat_time64", args({1}), args({1})},
      {"setxattr", args({0, 1}), args({0})},    {"lsetxattr", args({0, 1}), args({0})},
      {"getxattr", args({0, 1}), args({0})},    {"lgetxattr", args({0, 1}), args({0})},
      {"listxattr", args({0}), args({0})},      {"llistxattr", args({0}), args({0})},
      {"removexattr", args({0, 1}), args({0})}, {"lremovexattr", args({0, 1}), args({0})},
      {"fsetxattr", args({1}), 0},              {"fgetxattr", args({1}), 0},
      {"fremovexattr", args({1}), 0},           {"flistxattr", 0, 0},
      {"setxattrat", args({1, 3}), args({1})},  {"getxattrat", args({1, 3}), args({1})},
      {"listxattrat", args({1}), args({1})},    {"removexattrat", args({1, 3}), args({1})},
      {"mount", args({0, 1, 2}), args({0, 1})}, {"umount", args({0}), args({0})},
      {"umount2", args({0}), args({0})},        {"swapon", args({0}), args({0})},
      {"swapoff", args({0}), args({0})},        {"acct", args({0}), args({0})},
      {"inotify_add_watch", args({1}), args({1})}, {"fanotify_mark", args({4}), args({4})},
      {"open_tree", args({1}), args({1})},      {"open_tree_attr", args({1}), args({1})},
      {"move_mount", args({1, 3}), args({1, 3})}, {"fspick", args({1}), args({1})},
      {"fsopen", args({0}), 0},                 {"fsconfig", args({2}), 0},
      {"mount_setattr", args({1}), args({1})},  {"name_to_handle_at", args({1}), args({1})},
      {"statfs", args({0}), args({0})},         {"statfs64", args({0}), args({0})},
      {"uselib", args({0}), args({0})},         {"quotactl", args({1}), args({1})},
      {"file_getattr", args({1}), args({1})},   {"file_setattr", args({1}), args({1})},
      {"memfd_create", args({0}), 0},           {"init_module", args({2}), 0},
      {"finit_module", args({1}), 0},           {"delete_module", args({0}), 0},
      {"create_module", args({0}), 0},          {"query_module", args({0}), 0},
      {"add_key", args({0, 1}), 0},             {"request_key", args({0, 1, 2}), 0},
      {"mq_open", args({0}), 0},                {"mq_unlink", args({0}), 0},
      {"kexec_file_load", args({3}), 0},        {"sethostname", 0, 0},
      {"setdomainname", 0, 0},                  {"getcwd", 0, 0},
      {"fstat", 0, 0},                          {"quotactl_fd", 0, 0},
      {"open_by_handle_at", 0, 0},              {"landlock_add_rule", 0, 0},
      // Socket addresses (AF_UNIX sun_path), not C strings: see the `bases` column.
      {"bind", args({1}), args({1})},           {"connect", args({1}), args({1})},
      {"sendto", args({4}), args({4})},         {"sendmsg", args({1}), args({1})},
  };
  std::set<std::string_view> listed;
  for (const Expect& e : expected) {
    INFO(e.name);
    const SyscallInfo& r = row(e.name);
    CHECK(int(r.strings) == int(e.strings));
    CHECK(int(r.paths) == int(e.paths));
    listed.insert(e.name);
  }
  // No row has a string argument that the list above does not spell out.
  for (const SyscallInfo& r : all_syscalls())
    if (r.strings != 0) CHECK_MESSAGE(listed.count(r.name) == 1, r.name);
}

TEST_CASE("syscall_table: native argument positions") {
  // i386 passes fanotify_mark's 64-bit mask in two registers.
  CHECK(native_arg(Sys::fanotify_mark, 4, AUDIT_ARCH_I386) == 5);
  CHECK(native_arg(Sys::fanotify_mark, 1, AUDIT_ARCH_I386) == 1);
  CHECK(native_arg(Sys::fanotify_mark, 4, AUDIT_ARCH_X86_64) == 4);
  CHECK(native_arg(Sys::fanotify_mark, 4, AUDIT_ARCH_AARCH64) == 4);
  CHECK(native_arg(Sys::openat, 1, AUDIT_ARCH_I386) == 1);
}

TEST_CASE("syscall_table: known arches") {
  auto arches = known_arches();
  REQUIRE(arches.size() == 3);
  CHECK(arches[0].audit_arch == AUDIT_ARCH_X86_64);
  CHECK(arches[0].name == "x86_64");
  CHECK(arches[1].audit_arch == AUDIT_ARCH_I386);
  CHECK(arches[1].name == "i386");
  CHECK(arches[2].audit_arch == AUDIT_ARCH_AARCH64);
  CHECK(arches[2].name == "aarch64");
}

TEST_CASE("syscall_table: did you mean a syscall or a class") {
  CHECK(suggest_syscall_or_class("opnat") == "openat");
  CHECK(suggest_syscall_or_class("exceve") == "execve");
  CHECK(suggest_syscall_or_class("%fiel") == "%file");
  CHECK(suggest_syscall_or_class("%exce") == "%exec");
  CHECK(suggest_syscall_or_class("%%stta") == "%%stat");
  CHECK(suggest_syscall_or_class("file") == "%file");
  CHECK(suggest_syscall_or_class("%openat") == std::nullopt);  // classes only after '%'
  CHECK(suggest_syscall_or_class("zzzzzzzz") == std::nullopt);
}
