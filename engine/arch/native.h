// Picks the arch header of the host, once: every other file says `arch::native` and never
// tests __x86_64__ itself. A new architecture is a new header plus one branch here.
#pragma once

#if defined(__x86_64__)
#include "engine/arch/x86_64.h"
namespace redirect::arch {
namespace native = x86_64;
}
#elif defined(__aarch64__)
#include "engine/arch/aarch64.h"
namespace redirect::arch {
namespace native = aarch64;
}
#else
#error "redirect: no engine/arch header for this architecture"
#endif
