// getcwd in the program's view. After a chdir that a prefix rule redirected, the kernel's
// working directory is inside the rule's replacement, and getcwd would name it there: a program
// that compares or stores its working directory would see a path it never asked for. So when a
// file has prefix rules (and does not say `getcwd = "bundle"`), getcwd is trapped and, at its
// exit stop, the directory is read back to the rule's prefix (rules/prefix_map.h), checked
// forwards with the rules of chdir, and written into the program's buffer with the new length
// (ERANGE when it does not fit, as the kernel says). readlink of /proc/self/cwd and
// /proc/self/fd/N is the kernel's own name of the object and is left as it is.
#pragma once

#include <climits>

#include <array>
#include <span>

#include "engine/regs.h"
#include "engine/syscall_patch.h"
#include "engine/tracee.h"
#include "engine/tracee_io.h"
#include "rules/matcher.h"
#include "rules/prefix_map.h"

namespace redirect::engine {

class GetcwdView {
 public:
  /// `matchers` (one per ABI) and `io` must outlive it.
  GetcwdView(std::span<const rules::Matcher* const> matchers, TraceeIo& io);

  /// Whether getcwd's entry is `e`'s: then the exit stop is asked for, and true is returned.
  bool on_entry(Tracee& t, const SyscallEntry& e);

  /// At the exit stop of a getcwd that on_entry() watched; nothing for any other call.
  void on_exit(const Tracee& t, ExitStop& stop);

 private:
  const rules::Matcher* matcher_of(std::uint32_t audit_arch) const;
  std::span<const rules::Matcher* const> matchers_;
  TraceeIo& io_;
  rules::ReverseIndex reverse_;
  std::array<char, PATH_MAX> host_, view_, check_;
};

}  // namespace redirect::engine
