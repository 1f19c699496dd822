// Where the tracer runs when the program is not pinned. A stop is a hand-off: the tracee
// blocks, the tracer wakes, then the reverse. Left to itself the scheduler puts the woken
// party on the other, idle CPU, and on a VM whose idle CPUs halt each hand-off pays a wake-up
// of a halted CPU: unpinned stops cost 3-7x what they cost pinned. A tracer that runs
// SCHED_IDLE and keeps itself on the CPU the tracee last ran on gets the pinned cost back: a
// CPU running only SCHED_IDLE tasks counts as idle when the kernel places a woken task
// (sched_idle_cpu), so the tracee is woken beside the tracer and the tracer's wake-up stays
// there too. The program's own affinity and policy are never touched: only the tracer's own
// thread moves, after the program was started (children inherit from their parent, and the
// program's parent is the tracer only at that first clone).
//
// The risk is starvation: a SCHED_IDLE task gets ~0.3% of a CPU next to a busy one, so when
// every CPU is busy each stop waits for a time slice (hundreds of us). So sharing is only
// entered when the tracer can leave SCHED_IDLE again (a probe thread is set to SCHED_IDLE and
// back: unprivileged, with RLIMIT_NICE 0, it cannot, and sharing is never used), only while
// fewer runnable tasks than allowed CPUs are seen, and it is left as soon as the tracer waited
// on its run queue more than the tracee ran: that excess is time other tasks took.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <cstdint>

#include "engine/scoped_fd.h"

namespace redirect::engine {

class CpuSharing {
 public:
  /// `allowed`: whether to share at all. Probes once (with a thread that ends by itself)
  /// whether the tracer could leave SCHED_IDLE; if not, or its CPU mask holds one CPU, it
  /// stays off.
  explicit CpuSharing(bool allowed);
  ~CpuSharing();
  CpuSharing(const CpuSharing&) = delete;
  CpuSharing& operator=(const CpuSharing&) = delete;

  /// The program runs: share from now on if the CPUs are not all busy.
  void program_started();
  /// Back to the tracer's own policy and mask (before another program is started, or at the
  /// end): nothing started later inherits SCHED_IDLE or a narrowed mask.
  void leave();
  /// Called at every stop of `tid`: every 16th stop checks for waiting and follows the tracee;
  /// while sharing, so does a stop 1 ms or more after the last check, so that load appearing
  /// mid-run costs a few starved stops, not sixteen.
  void on_stop(pid_t tid) {
    if (state_ == State::off) return;
    ++since_check_;
    if (since_check_ >= kEvery || (state_ == State::shared && check_is_late())) check(tid);
  }

  struct Counts {
    unsigned long entered = 0, left = 0, moves = 0;
  };
  [[nodiscard]] const Counts& counts() const { return counts_; }

 private:
  enum class State : std::uint8_t { off, normal, shared };
  static constexpr unsigned kEvery = 16;
  // Wait beyond the tracee's own run time, per stop, that makes the tracer leave.
  static constexpr std::int64_t kExcessPerStopNs = 20'000;
  static constexpr unsigned long kFirstBackoff = 4;

  void check(pid_t tid);
  [[nodiscard]] bool check_is_late() const;
  void try_enter();
  [[nodiscard]] bool cpus_busy() const;
  void follow(int cpu);
  void watch(pid_t tid);

  State state_ = State::off;
  unsigned since_check_ = 0;       // stops since the last check
  std::int64_t last_check_ns_ = 0;  // CLOCK_MONOTONIC of the last check
  cpu_set_t own_mask_{};
  int own_cpus_ = 0;
  int pinned_to_ = -1;
  unsigned long cooldown_ = 0, backoff_ = kFirstBackoff;  // in checks (of kEvery stops)
  unsigned long good_checks_ = 0;
  // The tracee watched: its /proc stat and schedstat, and the last sample.
  pid_t watched_ = 0;
  ScopedFd stat_, schedstat_, own_schedstat_;
  std::int64_t last_wait_ = -1, last_ran_ = -1;
  Counts counts_;
};

}  // namespace redirect::engine
