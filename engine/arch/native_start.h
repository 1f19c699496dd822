// Picks the host's program-entry facts (x86_64_start.h, aarch64_start.h) for the in-process
// launcher, as native.h picks the syscall ABI: the launcher says `arch::native_start` and never
// tests the architecture itself.
#pragma once

#if defined(__x86_64__)
#include "engine/arch/x86_64_start.h"
namespace redirect::arch {
namespace native_start = x86_64;
}
#elif defined(__aarch64__)
#include "engine/arch/aarch64_start.h"
namespace redirect::arch {
namespace native_start = aarch64;
}
#else
#error "redirect: no engine/arch start header for this architecture"
#endif
