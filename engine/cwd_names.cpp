// CwdNames (see cwd_names.h). Costs: a kept name, one flag test and a copy; a name read
// afresh and kept, two readlinks and one inotify_add_watch per directory up to "/" (about
// 2 us each); every inotify event, a SIGIO handled by the tracer (about 2.3 us), even one that
// drops nothing (a file deleted or renamed into the parent of a working directory). Nothing
// that happens inside a working directory sends one: its own watch has no child events.
#include "engine/cwd_names.h"

#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "engine/arch/native.h"
#include "rules/syscall_table.h"

namespace redirect::engine {
namespace {

volatile std::sig_atomic_t g_events = 0;

void on_sigio(int) { g_events = 1; }

constexpr rules::Sys kChangers[] = {
    rules::Sys::chdir,  rules::Sys::fchdir,     rules::Sys::unshare,
    rules::Sys::setns,  rules::Sys::chroot,     rules::Sys::pivot_root,
    rules::Sys::mount,  rules::Sys::umount2,    rules::Sys::umount,
    rules::Sys::move_mount};

// inotify_add_watch calls before the fd is renewed: watches pin inodes, and a long run that
// visits many directories must not pile them up.
constexpr unsigned kWatchBound = 4096;

constexpr std::string_view kDeleted = " (deleted)";

}  // namespace

std::vector<int> CwdNames::numbers(std::uint32_t audit_arch) {
  std::vector<int> out;
  for (rules::Sys s : kChangers)
    if (auto nr = rules::syscall_number(s, audit_arch)) out.push_back(*nr);
  std::ranges::sort(out);
  return out;
}

bool CwdNames::changes_names(std::uint32_t audit_arch, long nr) {
  // Computed once per ABI the host has; a stop of another ABI asks the table.
  static const auto by_abi = [] {
    std::array<std::vector<int>, std::size(arch::native::personalities)> v;
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = numbers(arch::native::personalities[i].audit_arch);
    return v;
  }();
  for (std::size_t i = 0; i < by_abi.size(); ++i)
    if (arch::native::personalities[i].audit_arch == audit_arch)
      return std::ranges::binary_search(by_abi[i], static_cast<int>(nr));
  return false;
}

bool CwdNames::start() {
  if (started_) return true;
  if (unavailable_) return false;
  inotify_ = ScopedFd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  struct sigaction sa {};
  sa.sa_handler = on_sigio;
  sa.sa_flags = SA_RESTART;  // the tracer's own calls go on; waitpid returns as before
  sigemptyset(&sa.sa_mask);
  f_owner_ex owner{F_OWNER_TID, static_cast<pid_t>(::syscall(SYS_gettid))};
  const bool ok = inotify_.valid() && sigaction(SIGIO, &sa, nullptr) == 0 &&
                  fcntl(inotify_.get(), F_SETOWN_EX, &owner) == 0 &&
                  fcntl(inotify_.get(), F_SETFL, O_NONBLOCK | O_ASYNC) == 0;
  if (!ok) {
    inotify_ = ScopedFd();
    unavailable_ = true;
    return false;
  }
  started_ = true;
  watches_ = 0;
  return true;
}

// Whether an event may have changed a kept name: one about a watched directory itself (no
// name: moved, deleted, its watch gone), a directory deleted from or renamed into a watched
// parent, or a lost queue. A file deleted or renamed beside a working directory cannot (the
// signal is paid anyway).
namespace {
bool may_rename(const inotify_event& ev) {
  if (ev.mask & IN_Q_OVERFLOW) return true;
  if (ev.len == 0) return true;
  return (ev.mask & (IN_DELETE | IN_MOVED_TO)) && (ev.mask & IN_ISDIR);
}
}  // namespace

// The queue is emptied every time, so that a later event is not merged into an unread one (a
// merged event sends no signal).
void CwdNames::take_events() {
  if (!g_events) return;
  g_events = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  alignas(inotify_event) char buf[4096];
  bool drop = false;
  for (ssize_t got; (got = ::read(inotify_.get(), buf, sizeof buf)) > 0;)
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= got;) {
      inotify_event ev;
      std::memcpy(&ev, buf + at, sizeof ev);
      drop = drop || may_rename(ev);
      at += static_cast<ssize_t>(sizeof ev + ev.len);
    }
  if (drop) drop_all();
}

// Watches `name` (tid's cwd) and its ancestors below "/", each through /proc/TID/cwd and
// "..", so that the inodes watched are the ones the name was read from.
bool CwdNames::watch(pid_t tid, std::string_view name) {
  const auto depth = static_cast<unsigned>(std::ranges::count(name, '/'));
  if (name == "/") return true;
  // Down to the parent, "/" included for "/a": an rmdir shows there (IN_DELETE).
  const unsigned levels = std::max(depth, 2u);
  if (watches_ + levels > kWatchBound) {
    started_ = false;  // a fresh fd: the old one's watches go with it
    inotify_ = ScopedFd();
    drop_all();
    if (!start()) return false;
  }
  char path[64 + 3 * 4096];
  int n = std::snprintf(path, 64, "/proc/%d/cwd", static_cast<int>(tid));
  for (unsigned up = 0; up < levels; ++up) {
    std::uint32_t mask = IN_MOVE_SELF | IN_MASK_ADD | IN_ONLYDIR;
    if (up == 0) mask |= IN_DELETE_SELF;
    if (up == 1) mask |= IN_DELETE | IN_MOVED_TO;
    ++watches_;
    if (inotify_add_watch(inotify_.get(), path, mask) < 0) return false;
    std::memcpy(path + n, "/..", 4);
    n += 3;
  }
  return true;
}

ssize_t CwdNames::read(pid_t tid, ProcLinks& links, std::span<char> out) {
  if (started_) take_events();
  Kept& k = kept_[static_cast<std::size_t>(tid) % kept_.size()];
  if (k.tid == tid && k.generation == generation_ && k.length <= out.size()) {
    std::memcpy(out.data(), k.name.data(), k.length);
    return static_cast<ssize_t>(k.length);
  }
  const ssize_t n = links.read(tid, std::nullopt, out);
  if (n <= 0 || static_cast<std::size_t>(n) >= std::min(out.size(), k.name.size()) ||
      !changing_.empty())
    return n;
  const std::string_view name(out.data(), static_cast<std::size_t>(n));
  if (name.front() != '/' || name.ends_with(kDeleted) || !start()) return n;
  // Watched first, then read again: a change before the watches shows in the second read, a
  // change after them as an event. Kept only when both reads agree.
  const std::uint64_t generation = generation_;
  if (!watch(tid, name)) return n;
  const ssize_t again = links.read(tid, std::nullopt, k.name);
  take_events();
  if (again != n || generation != generation_ ||
      std::memcmp(k.name.data(), out.data(), static_cast<std::size_t>(n)) != 0) {
    k.tid = 0;
    return n;
  }
  k.tid = tid;
  k.generation = generation_;
  k.length = static_cast<std::size_t>(n);
  return n;
}

void CwdNames::changing(pid_t tid) {
  drop_all();
  if (std::ranges::find(changing_, tid) == changing_.end()) changing_.push_back(tid);
}

void CwdNames::settle(pid_t tid) {
  auto it = std::ranges::find(changing_, tid);
  if (it == changing_.end()) return;
  changing_.erase(it);
  drop_all();  // its call is over: names read from now on are the new ones
}

void CwdNames::forget(pid_t tid) {
  Kept& k = kept_[static_cast<std::size_t>(tid) % kept_.size()];
  if (k.tid == tid) k.tid = 0;
  settle(tid);
}

}  // namespace redirect::engine
