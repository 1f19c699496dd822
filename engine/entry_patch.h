// The patch stage of an entry stop: what an EntryDecision asks of the tracee, done with the
// SyscallPatcher. A call that a rule denies, or whose rewrite cannot be passed, fails without
// running; the new strings of the arguments that change go to scratch memory in one write and
// their registers point at them until the exit stop; a dry run changes nothing. Kept apart from
// the Rewriter so the decision never depends on how (or whether) it is carried out.
#pragma once

#include "engine/entry_decision.h"
#include "engine/regs.h"
#include "engine/socket_address.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"

namespace redirect::engine {

/// Acts on `d` at `t`'s entry stop `e` and records the outcome in `d.applied` (with
/// `d.fail_errno` and `d.write_problem` when the new strings cannot be written: the call then
/// fails with ENOMEM or EFAULT rather than run unchanged). `socket` holds the address read
/// for the decision's socket argument, if any. Throws as SyscallPatcher does.
void apply_entry(SyscallPatcher& patcher, UnixSocketPath& socket, Tracee& t,
                 const SyscallEntry& e, EntryDecision& d, bool seccomp_stop, bool dry_run);

}  // namespace redirect::engine
