// CpuSharing (see cpu_sharing.h). Cost: a clock read per stop while sharing; at every 16th
// stop (or the first 1 ms after the last check) three preads of /proc (the tracee's stat for
// its CPU and schedstat for its run time, the tracer's own schedstat for its run-queue wait)
// and, when the tracee moved, one sched_setaffinity.
#include "engine/cpu_sharing.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

namespace redirect::engine {
namespace {

// Whether a thread of ours could leave SCHED_IDLE again (unprivileged, that needs RLIMIT_NICE
// room or CAP_SYS_NICE in the initial user namespace, so only trying tells). This thread sets
// a new one to SCHED_IDLE and back to SCHED_OTHER while it waits on a pipe: it never has to
// run while idle, which beside busy CPUs could take milliseconds, and it is not waited for
// (it ends when the pipe closes, closing its end).
void* wait_for_close(void* arg) {
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(arg));
  char c;
  while (::read(fd, &c, 1) < 0 && errno == EINTR) {
  }
  ::close(fd);
  return nullptr;
}

bool can_leave_idle() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pthread_t probe;
  if (pthread_create(&probe, nullptr, wait_for_close,
                     reinterpret_cast<void*>(static_cast<std::intptr_t>(fds[0]))) != 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  // It cannot end before the pipe closes below, so its handle is valid until then.
  // (pthread_attr_setschedpolicy takes no SCHED_IDLE; pthread_setschedparam passes it on.)
  sched_param p{};
  const bool back = pthread_setschedparam(probe, SCHED_IDLE, &p) == 0 &&
                    pthread_setschedparam(probe, SCHED_OTHER, &p) == 0;
  pthread_detach(probe);
  ::close(fds[1]);
  return back;
}

// pread of a whole small /proc file into `buf`, NUL-terminated; false on any failure.
bool read_proc(int fd, char (&buf)[1024]) {
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = '\0';
  return true;
}

// Field `k` (1-based, as proc(5) numbers them) of /proc/TID/stat, or -1.
long long stat_field(const char* stat, int k) {
  const char* p = std::strrchr(stat, ')');  // the command name may hold spaces and ')'
  if (p == nullptr) return -1;
  for (int field = 2; field < k; ++field) {
    p = std::strchr(p + 1, ' ');
    if (p == nullptr) return -1;
  }
  return std::strtoll(p + 1, nullptr, 10);
}

// Field `k` (0-based) of a schedstat line "RAN_NS WAIT_NS SLICES".
long long schedstat_field(const char* line, int k) {
  char* end = nullptr;
  long long v = std::strtoll(line, &end, 10);
  for (int i = 0; i < k; ++i) v = std::strtoll(end, &end, 10);
  return v;
}

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // the vDSO: no syscall
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

ScopedFd open_proc(pid_t tid, const char* leaf) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/%s", static_cast<int>(tid), leaf);
  return ScopedFd(::open(path, O_RDONLY | O_CLOEXEC));
}

}  // namespace

CpuSharing::CpuSharing(bool allowed) {
  if (!allowed || sched_getscheduler(0) != SCHED_OTHER) return;  // never undo chrt's choice
  if (sched_getaffinity(0, sizeof own_mask_, &own_mask_) != 0) return;
  own_cpus_ = CPU_COUNT(&own_mask_);
  if (own_cpus_ < 2 || !can_leave_idle()) return;  // pinned already: nothing to win
  own_schedstat_ = ScopedFd(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC));
  if (own_schedstat_.valid()) state_ = State::normal;
}

CpuSharing::~CpuSharing() { leave(); }

void CpuSharing::program_started() {
  if (state_ == State::normal) try_enter();
}

bool CpuSharing::cpus_busy() const {
  // /proc/loadavg's fourth field is "RUNNABLE/TOTAL" now; RUNNABLE counts this thread.
  ScopedFd fd(::open("/proc/loadavg", O_RDONLY | O_CLOEXEC));
  char buf[1024];
  if (!fd.valid() || !read_proc(fd.get(), buf)) return true;
  int runnable = 0;
  if (std::sscanf(buf, "%*s %*s %*s %d/", &runnable) != 1) return true;
  return runnable - 1 >= own_cpus_;
}

void CpuSharing::try_enter() {
  if (cpus_busy()) {
    cooldown_ = backoff_;
    return;
  }
  sched_param p{};
  if (sched_setscheduler(0, SCHED_IDLE, &p) != 0) {
    state_ = State::off;
    return;
  }
  state_ = State::shared;
  ++counts_.entered;
  watched_ = 0;
  good_checks_ = 0;
}

void CpuSharing::leave() {
  if (state_ != State::shared) return;
  sched_param p{};
  // The probe showed this works; if it fails now, sharing is never tried again.
  state_ = sched_setscheduler(0, SCHED_OTHER, &p) == 0 ? State::normal : State::off;
  if (pinned_to_ >= 0) sched_setaffinity(0, sizeof own_mask_, &own_mask_);
  pinned_to_ = -1;
  ++counts_.left;
}

void CpuSharing::watch(pid_t tid) {
  watched_ = tid;
  stat_ = open_proc(tid, "stat");
  schedstat_ = open_proc(tid, "schedstat");
  last_wait_ = last_ran_ = -1;
}

bool CpuSharing::check_is_late() const { return now_ns() - last_check_ns_ >= 1'000'000; }

void CpuSharing::check(pid_t tid) {
  const unsigned stops = std::exchange(since_check_, 0);
  last_check_ns_ = now_ns();
  if (state_ == State::normal) {
    if (cooldown_ == 0 || --cooldown_ == 0) try_enter();
    return;
  }
  if (tid != watched_) watch(tid);
  char stat[1024], ran[1024], own[1024];
  if (!read_proc(stat_.get(), stat) || !read_proc(schedstat_.get(), ran) ||
      !read_proc(own_schedstat_.get(), own)) {
    watched_ = 0;  // it is gone: the next check watches whoever stops then
    return;
  }
  const long long wait = schedstat_field(own, 1), run = schedstat_field(ran, 0);
  if (last_wait_ >= 0 && (wait - last_wait_) - (run - last_ran_) > kExcessPerStopNs * stops) {
    // Other tasks took the tracer's CPU: back to a normal share, and wait longer each time
    // before trying again.
    leave();
    cooldown_ = backoff_;
    backoff_ = std::min<unsigned long>(backoff_ * 2, 1024);
    return;
  }
  last_wait_ = wait, last_ran_ = run;
  if (++good_checks_ == 64) backoff_ = kFirstBackoff;  // it worked for a while: forgive
  follow(static_cast<int>(stat_field(stat, 39)));
}

void CpuSharing::follow(int cpu) {
  if (cpu < 0 || cpu == pinned_to_ || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &own_mask_)) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  if (sched_setaffinity(0, sizeof one, &one) == 0) {
    pinned_to_ = cpu;
    ++counts_.moves;
  }
}

}  // namespace redirect::engine
