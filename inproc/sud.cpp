// arm_dispatch (see sud.h). The selector byte stays "block" for good: flipping it would only
// help code of ours that calls libc, and the handler calls none.
#include "inproc/sud.h"

#include <sys/prctl.h>
#include <sys/syscall.h>

#include "inproc/raw_syscall.h"

namespace redirect::inproc {
namespace {

// linux/prctl.h, for headers older than 5.11.
constexpr long kSetSyscallUserDispatch = 59;
constexpr long kDispatchOn = 1;
constexpr char kSelectorBlock = 1;

volatile char selector = kSelectorBlock;

}  // namespace

long arm_dispatch() {
  return raw_syscall(SYS_prctl, kSetSyscallUserDispatch, kDispatchOn,
                     redirect_inproc_region_start,
                     redirect_inproc_region_end - redirect_inproc_region_start, &selector);
}

}  // namespace redirect::inproc

