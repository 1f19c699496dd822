// ProgramFilters (see program_filters.h). Costs nothing while no traced process installed a
// filter: then the map is empty and no question reads /proc.
#include "engine/program_filters.h"

#include <linux/seccomp.h>

#include <cstdio>
#include <cstring>

#include "engine/remote_mem.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

// prctl(PR_SET_SECCOMP = 22, mode, fprog) and seccomp(op, flags, fprog) (linux/prctl.h,
// linux/seccomp.h): the same numbers on every ABI.
constexpr std::uint64_t pr_set_seccomp = 22;

// What a seccomp()/prctl() entry installs: nullopt for anything else (other operations,
// other prctl options), else strict mode or the address of its struct sock_fprog.
struct Install {
  bool strict = false;
  std::uint64_t fprog = 0;
};
std::optional<Install> install_of(const SyscallEntry& e) {
  const auto seccomp_nr = rules::syscall_number(rules::Sys::seccomp, e.audit_arch);
  const auto prctl_nr = rules::syscall_number(rules::Sys::prctl, e.audit_arch);
  if (seccomp_nr && e.nr == *seccomp_nr) {
    if (e.args[0] == SECCOMP_SET_MODE_STRICT) return Install{true, 0};
    if (e.args[0] == SECCOMP_SET_MODE_FILTER) return Install{false, e.args[2]};
  } else if (prctl_nr && e.nr == *prctl_nr && e.args[0] == pr_set_seccomp) {
    if (e.args[1] == SECCOMP_MODE_STRICT) return Install{true, 0};
    if (e.args[1] == SECCOMP_MODE_FILTER) return Install{false, e.args[2]};
  }
  return std::nullopt;
}

// The program of the struct sock_fprog { unsigned short len; struct sock_filter* filter; } at
// `fprog` (its pointer at the ABI's pointer alignment), or nullopt when it cannot be read or
// is longer than any filter the kernel accepts (BPF_MAXINSNS).
std::optional<std::vector<sock_filter>> read_program(pid_t tid, const arch::Personality& p,
                                                     std::uint64_t fprog) {
  char raw[16] = {};
  const std::size_t size = 2u * p.pointer_size;
  if (!read_bytes(tid, RemotePtr{fprog}, std::span(raw, size))) return std::nullopt;
  std::uint16_t len = 0;
  std::uint64_t code = 0;
  std::memcpy(&len, raw, sizeof len);
  std::memcpy(&code, raw + p.pointer_size, p.pointer_size);
  if (len == 0 || len > BPF_MAXINSNS) return std::nullopt;
  std::vector<sock_filter> program(len);
  auto bytes = std::span(reinterpret_cast<char*>(program.data()), len * sizeof(sock_filter));
  if (!read_bytes(tid, RemotePtr{code}, bytes)) return std::nullopt;
  return program;
}

}  // namespace

pid_t thread_group_of(pid_t tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", tid);
  std::FILE* f = std::fopen(path, "re");
  if (!f) return tid;
  char line[256];
  int tgid = tid;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "Tgid: %d", &tgid) == 1) break;
  std::fclose(f);
  return tgid;
}

void ProgramFilters::on_install(pid_t tid, const SyscallEntry& e) {
  if (!e.personality) return;
  const std::optional<Install> install = install_of(e);
  if (!install) return;
  InstalledFilter filter{install->strict, {}};
  if (!install->strict) {
    auto program = read_program(tid, *e.personality, install->fprog);
    if (!program) return;  // the kernel answers EFAULT or EINVAL: nothing is installed
    filter.code = std::move(*program);
  }
  const pid_t process = thread_group_of(tid);
  auto chain = std::make_shared<FilterChain>();
  if (auto it = by_process_.find(process); it != by_process_.end())
    chain->filters = it->second->filters;
  chain->filters.push_back(std::move(filter));
  by_process_[process] = std::move(chain);
}

void ProgramFilters::on_new_task(pid_t parent, pid_t child) {
  if (by_process_.empty()) return;
  const pid_t process = thread_group_of(child);
  if (process != child) return;  // a thread: its process's filters are its own already
  auto it = by_process_.find(thread_group_of(parent));
  if (it == by_process_.end()) {
    by_process_.erase(child);  // a pid reused: what its former owner installed is gone
    return;
  }
  by_process_[child] = it->second;
}

std::shared_ptr<const FilterChain> ProgramFilters::of(pid_t tid) const {
  if (by_process_.empty()) return nullptr;
  auto it = by_process_.find(thread_group_of(tid));
  return it == by_process_.end() ? nullptr : it->second;
}

}  // namespace redirect::engine
