// Signal forwarding and job-control mirroring for redirect itself (see signals.h for the
// policy). The handler only calls kill(), which is async-signal-safe, and sets a flag.
#include "engine/signals.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>

namespace redirect::engine {
namespace {

volatile sig_atomic_t g_target = 0;
volatile sig_atomic_t g_stop_requested = 0;
volatile sig_atomic_t g_pending = 0;  // arrived before the program existed
volatile sig_atomic_t g_end_on_signal = 0;
volatile sig_atomic_t g_end_request = 0;  // the signal that asked to end (end_on_signal)

// The kernel's struct sigaction, the same on x86_64 and aarch64, for raw rt_sigaction: libc's
// sigaction refuses its own internal signals (glibc's 32 and 33).
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  std::uint64_t mask;
};

// The signals redirect was started with ignored, read before main and so before any thread:
// glibc installs a handler for one of its internal signals (SIGSETXID, 33) when redirect
// starts a thread, and exec turns a handler into the default action, while the program must
// inherit every ignored signal as it would natively.
std::uint64_t read_ignored() {
  std::uint64_t set = 0;
  for (int sig = 1; sig <= 64; ++sig) {
    KernelSigaction old{};
    if (::syscall(SYS_rt_sigaction, sig, nullptr, &old, sizeof old.mask) == 0 &&
        old.handler == SIG_IGN)
      set |= std::uint64_t{1} << (sig - 1);
  }
  return set;
}
const std::uint64_t g_ignored_at_start = read_ignored();

bool is_end_signal(int sig) { return sig == SIGINT || sig == SIGTERM || sig == SIGHUP; }

bool is_stop_signal(int sig) { return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU; }

void on_signal(int sig, siginfo_t* info, void*) {
  int saved_errno = errno;
  bool from_terminal = info && info->si_code == SI_KERNEL;
  if (is_stop_signal(sig)) g_stop_requested = 1;
  if (g_target == 0)
    g_pending = sig;  // ^C while redirect starts: the program must still get it
  else if (g_target > 0 && !from_terminal)
    kill(static_cast<pid_t>(g_target), sig);
  else if (g_target == -1 && g_end_on_signal && is_end_signal(sig))
    g_end_request = sig;
  errno = saved_errno;
}

}  // namespace

SignalPolicy::SignalPolicy() {
  sigprocmask(SIG_SETMASK, nullptr, &old_mask_);
  for (std::size_t i = 0; i < handled_.size(); ++i) {
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    if (handled_[i] == SIGPIPE) {
      sa.sa_handler = SIG_IGN;
    } else if (handled_[i] == SIGCHLD) {
      sa.sa_handler = SIG_DFL;  // only recorded, so the child gets the inherited one back
    } else {
      sa.sa_sigaction = on_signal;
      sa.sa_flags = SA_SIGINFO | SA_RESTART;
    }
    sigaction(handled_[i], nullptr, &old_[i]);
    // Ignored by whoever started us (nohup, a background job without job control): the
    // program inherits that and redirect keeps ignoring it too, as env(1) would.
    if (old_[i].sa_handler == SIG_IGN && handled_[i] != SIGCHLD) continue;
    sigaction(handled_[i], &sa, nullptr);
  }
}

SignalPolicy::~SignalPolicy() {
  g_target = 0;
  g_end_on_signal = 0;
  g_end_request = 0;
  for (std::size_t i = 0; i < handled_.size(); ++i) sigaction(handled_[i], &old_[i], nullptr);
}

void SignalPolicy::set_target(pid_t pid) { g_target = pid; }

void SignalPolicy::end_on_signal() {
  g_end_on_signal = 1;
  // Without SA_RESTART the tracer's waitpid returns EINTR, so the request is seen at once.
  for (int sig : {SIGHUP, SIGINT, SIGTERM}) {
    struct sigaction sa {};
    sigaction(sig, nullptr, &sa);
    if (sa.sa_handler == SIG_IGN) continue;
    sa.sa_flags &= ~SA_RESTART;
    sigaction(sig, &sa, nullptr);
  }
}

int SignalPolicy::take_end_request() {
  int sig = g_end_request;
  g_end_request = 0;
  return sig;
}

void SignalPolicy::deliver_pending() {
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  if (g_pending != 0 && g_target > 0) kill(static_cast<pid_t>(g_target), g_pending);
  g_pending = 0;
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

void SignalPolicy::restore_in_child() const noexcept {
  for (std::size_t i = 0; i < handled_.size(); ++i) sigaction(handled_[i], &old_[i], nullptr);
  // With valid arguments rt_sigaction cannot fail, so errno is left alone.
  const KernelSigaction ignore{SIG_IGN, 0, nullptr, 0};
  for (int sig = 1; sig <= 64; ++sig)
    if (g_ignored_at_start & (std::uint64_t{1} << (sig - 1)))
      ::syscall(SYS_rt_sigaction, sig, &ignore, nullptr, sizeof ignore.mask);
  sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool SignalPolicy::take_stop_request() {
  bool requested = g_stop_requested != 0;
  g_stop_requested = 0;
  return requested;
}

void SignalPolicy::stop_self(int sig) {
  if (sig == SIGSTOP) {
    raise(SIGSTOP);
    return;
  }
  struct sigaction dfl {
  }, old{};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, &old);
  raise(sig);  // delivered before raise() returns; we stop here until SIGCONT
  sigaction(sig, &old, nullptr);
}

void SignalPolicy::block_all() {
  sigfillset(&blocked_mask_);
  sigprocmask(SIG_SETMASK, &blocked_mask_, nullptr);
}

void SignalPolicy::unblock() { sigprocmask(SIG_SETMASK, &old_mask_, nullptr); }

}  // namespace redirect::engine
