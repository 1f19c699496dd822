// TracedCalls and open_flags_of (see traced_calls.h).
#include "inproc/traced_calls.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <sys/syscall.h>

#include <cstring>

#include "inproc/program_copy.h"

namespace redirect::inproc {

void TracedCalls::add_every_path_call() {
  for (rules::Sys s : rules::expand_class(rules::TF | rules::TE))
    if (auto nr = rules::syscall_number(s, AUDIT_ARCH_X86_64)) numbers_.set(static_cast<std::size_t>(*nr));
}

std::uint64_t open_flags_of(long nr, const std::array<long, 6>& args, int tid) {
  switch (nr) {
    case SYS_open: return static_cast<std::uint32_t>(args[1]);
    case SYS_openat: return static_cast<std::uint32_t>(args[2]);
    case SYS_creat: return O_CREAT | O_WRONLY | O_TRUNC;
    case SYS_openat2: {
      // struct open_how's first field (include/uapi/linux/openat2.h); a bad pointer is the
      // kernel's to answer (EFAULT), and the flags are then unknown: 0.
      std::uint64_t flags = 0;
      char raw[sizeof flags];
      if (copy_from_program(raw, reinterpret_cast<const char*>(args[2]), sizeof raw, tid) == sizeof raw)
        std::memcpy(&flags, raw, sizeof flags);
      return flags;
    }
    default: return 0;
  }
}

}  // namespace redirect::inproc
