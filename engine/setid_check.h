// Set-id programs lose their privileges under redirect, and the user must be told. The kernel
// grants a program executed under ptrace no set-user-ID, set-group-ID or file-capability
// privileges unless the tracer could trace the privileged program anyway (CAP_SYS_PTRACE:
// LSM_UNSAFE_PTRACE in fs/exec.c and security/commoncap.c), and the seccomp filter's
// PR_SET_NO_NEW_PRIVS forbids them outright for an unprivileged caller. A tracer can neither
// prevent that nor hand the privileges back; what it can do is say so, instead of letting
// `passwd` print wrong data or `fusermount3` fail with an unexplained EPERM.
#pragma once

#include <sys/types.h>

#include "engine/notices.h"

namespace redirect::engine {

class SetIdCheck {
 public:
  /// `notices` must outlive it.
  explicit SetIdCheck(Notices& notices) : notices_(notices) {}

  /// At the exec event of `tid`: when the program it now runs is set-user-ID, set-group-ID or
  /// has file capabilities (security.capability) and runs without what they give, says so
  /// once per run, naming the program. Reads /proc/TID/exe and /proc/TID/status; says nothing
  /// when they cannot be read (the tracee died meanwhile).
  void on_exec(pid_t tid);

 private:
  Notices& notices_;
  bool said_ = false;
};

}  // namespace redirect::engine
