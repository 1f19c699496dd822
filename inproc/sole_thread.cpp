// The thread count behind sole_thread() (see sole_thread.h). Counters, not a list: the handler
// may run on any thread at once, and these are the only state it shares for this.
#include "inproc/sole_thread.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>

#include <atomic>
#include <cstring>
#include <string_view>

#include "inproc/path_rewrite.h"
#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

std::atomic<long> threads_made{0};     // CLONE_THREAD children made (and not failed)
std::atomic<long> threads_exited{0};   // trapped `exit` calls
std::atomic<long> sharers_waited{0};   // CLONE_VM|CLONE_VFORK children running now
std::atomic<bool> sharer_for_good{false};  // a CLONE_VM child nobody waits for was made
// /proc/self/status disagreed with the count this often (a sharing child's `exit` counted as
// a thread's): past a few, stop asking, and patching, for good.
std::atomic<int> disagreements{0};
constexpr int kMaxDisagreements = 256;

// "Threads:" of /proc/self/status, or -1.
long status_threads() {
  const long fd = raw_syscall(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[4096];
  long n = 0, r;
  while (n < static_cast<long>(sizeof buf) - 1 &&
         (r = raw_syscall(SYS_read, fd, buf + n, sizeof buf - 1 - n)) > 0)
    n += r;
  raw_syscall(SYS_close, fd);
  const std::string_view text(buf, static_cast<std::size_t>(n));
  const std::size_t at = text.find("\nThreads:");
  if (at == std::string_view::npos) return -1;
  long v = -1;
  for (std::size_t i = at + 9; i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] >= '0' && text[i] <= '9') v = (v < 0 ? 0 : v * 10) + (text[i] - '0');
    else if (text[i] != ' ' && text[i] != '\t') return -1;
  }
  return v;
}

}  // namespace

TaskCreation note_task_creation(long nr, const std::array<long, 6>& a) {
  unsigned long long flags = 0;
  if (nr == SYS_clone) {
    flags = static_cast<unsigned long>(a[0]);
  } else if (nr == SYS_clone3) {
    if (!readable(reinterpret_cast<const void*>(a[0]), 8)) {
      sharer_for_good.store(true);
      return {};
    }
    std::memcpy(&flags, reinterpret_cast<const void*>(a[0]), 8);
  } else if (nr == SYS_vfork) {
    flags = CLONE_VM | CLONE_VFORK;
  } else {
    return {};  // fork: memory of its own
  }
  TaskCreation c;
  if (flags & CLONE_THREAD) {
    c.thread = true;
    threads_made.fetch_add(1);
  } else if (flags & CLONE_VM) {
    // Without a stack of its own and without CLONE_VFORK the call is refused (task_creation.h):
    // counted as waited for, until it returns.
    const bool own_stack = nr == SYS_clone ? a[1] != 0 : nr != SYS_vfork;
    if ((flags & CLONE_VFORK) || !own_stack) {
      c.shares_memory = true;
      sharers_waited.fetch_add(1);
    } else {
      sharer_for_good.store(true);
    }
  }
  return c;
}

void note_task_created(const TaskCreation& c, long result) {
  if (result == 0) {
    // A child with a copy of the memory, and one thread in it.
    threads_made.store(0);
    threads_exited.store(0);
    sharers_waited.store(0);
    sharer_for_good.store(false);
    disagreements.store(0);
    return;
  }
  if (c.thread && result < 0) threads_made.fetch_sub(1);
  if (c.shares_memory) sharers_waited.fetch_sub(1);
}

void note_thread_exit() { threads_exited.fetch_add(1); }

bool may_be_sole_thread() {
  if (sharer_for_good.load() || sharers_waited.load() != 0) return false;
  const long made = threads_made.load();
  return made == 0 || (made - threads_exited.load() <= 0 && disagreements.load() < kMaxDisagreements);
}

bool never_shared_memory() {
  return !sharer_for_good.load() && sharers_waited.load() == 0 && threads_made.load() == 0;
}

bool sole_thread() {
  if (!may_be_sole_thread()) return false;
  if (threads_made.load() == 0) return true;
  if (status_threads() == 1) return true;
  disagreements.fetch_add(1);
  return false;
}

}  // namespace redirect::inproc
