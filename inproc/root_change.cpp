// note_chroot, root_changed (see root_change.h): a relaxed atomic, set once, never cleared (a
// chroot cannot be undone without another chroot, which leaves the root redirect's only by
// chance).
#include "inproc/root_change.h"

#include <atomic>

namespace redirect::inproc {
namespace {

std::atomic<bool> changed{false};

}  // namespace

long note_chroot(long result) {
  if (result == 0) changed.store(true, std::memory_order_relaxed);
  return result;
}

bool root_changed() { return changed.load(std::memory_order_relaxed); }

}  // namespace redirect::inproc
