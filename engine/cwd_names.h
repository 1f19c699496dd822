// The names of tracees' working directories, kept between calls and still exact. Reading
// /proc/TID/cwd is the whole extra cost of a relative name (bench/README.md), and a name may
// change with no stop of ours: an untraced process renames an ancestor. The surprise that
// makes keeping it exact and free: an inotify fd with O_ASYNC and F_SETOWN_EX(F_OWNER_TID)
// makes the kernel signal the tracer thread (SIGIO) as it queues an event, inside the
// renamer's rename() (fs/notify/notification.c: kill_fasync after the event is added), so the
// signal is pending on the tracer before anything the renamer does next can stop a tracee,
// and its handler has run before the waitpid() that reports such a stop returns
// (bench/cwd_signal_order.c checks this ordering). A lookup then costs a flag test.
//
// What is watched, per kept name: the directory itself (IN_MOVE_SELF, IN_DELETE_SELF: no child
// events, so that the files a program works on in it cost nothing), its parent (IN_DELETE and
// IN_MOVED_TO of a directory: an rmdir of a directory that is someone's cwd sends
// IN_DELETE_SELF only when the last reference goes, and a directory renamed over it shows on
// it only as IN_ATTRIB, which would also report every chmod and utimes of its files) and
// every other ancestor but "/" (IN_MOVE_SELF; a non-empty directory cannot be deleted or
// renamed over). An event that may concern a directory's name drops every kept name; a file
// deleted or renamed beside a working directory is ignored (its signal is still paid).
// What a traced thread does is seen at its stops: chdir, fchdir, unshare, setns, chroot,
// pivot_root, mount, umount2, umount and move_mount (trapped for this) drop every kept name at their
// entry and keep none until that thread stops again (its call is over by then; a thread
// sharing the fs saw the change at once). Blind: a mount moved or lazily unmounted above the
// directory by an untraced process renames it without any inotify event.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/proc_links.h"
#include "engine/scoped_fd.h"

namespace redirect::engine {

class CwdNames {
 public:
  /// The name of `tid`'s working directory into `out`, exactly as `links.read(tid,
  /// std::nullopt, out)` would read it now (same contract), from a kept name when nothing can
  /// have changed it since it was read. Where inotify or the signal cannot be set up, every
  /// call reads.
  [[nodiscard]] ssize_t read(pid_t tid, ProcLinks& links, std::span<char> out);

  /// Whether syscall `nr` of the ABI `audit_arch` may change a working directory or its name
  /// (the calls listed above); `numbers()` gives them for the filter.
  [[nodiscard]] static bool changes_names(std::uint32_t audit_arch, long nr);
  [[nodiscard]] static std::vector<int> numbers(std::uint32_t audit_arch);

  /// `tid` entered one of those calls: nothing is kept until its next stop.
  void changing(pid_t tid);
  /// Any stop of `tid` (called first at every stop: one test while nothing is changing).
  void stopped(pid_t tid) {
    if (!changing_.empty()) settle(tid);
  }
  /// `tid` is gone or runs a new program as another thread's tid: its name is not kept.
  void forget(pid_t tid);

 private:
  struct Kept {
    pid_t tid = 0;
    std::uint64_t generation = 0;
    std::size_t length = 0;
    std::array<char, 4096> name{};
  };
  bool start();
  void take_events();
  bool watch(pid_t tid, std::string_view name);
  void settle(pid_t tid);
  void drop_all() { ++generation_; }

  ScopedFd inotify_;
  bool started_ = false;
  bool unavailable_ = false;
  std::uint64_t generation_ = 1;
  std::vector<pid_t> changing_;
  unsigned watches_ = 0;  // inotify_add_watch calls on this fd (it is renewed past a bound)
  std::array<Kept, 16> kept_{};
};

}  // namespace redirect::engine
