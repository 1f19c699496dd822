// Lazy rewriting of syscall sites: a call the handler has no work for traps once per site, not
// once per call. Syscall User Dispatch cannot filter by number, so without this every `close`,
// `read` or `getppid` pays a signal delivery (~1-2.5 us; docs/inproc-lazy-rewriting.md).
// At a dispatch trap of such a call, from a site of one of two exact shapes, the 5 bytes
// before its `syscall` become `jmp rel32` to a trampoline in the allowed region that makes the
// call and jumps back after the site's `syscall` (trampolines.h):
//  - `mov $NR,%eax; syscall` (b8 imm32 0f 05, imm32 the trapped number): most of libc's
//    wrappers; the trampoline makes call NR;
//  - glibc's syscall(): `mov 0x8(%rsp),%r9; syscall; cmp $-4095,%rax` (4c 8b 4c 24 08 0f 05
//    48 3d 01 f0 ff ff), the number in rax: the trampoline moves the mov, then makes the call
//    only when the handler has no work for its number and otherwise jumps to the site's own
//    `syscall`, which traps as before.
// The site's `syscall` is left as it was, so a branch straight to it still traps and is still
// handled. A branch into the middle of the rewritten mov would run
// garbage: compilers never emit one, hand-written code could (docs/inproc-lazy-rewriting.md).
// Which calls: those needs_handler() says the handler has no work for, and neither `exit`
// (threads are counted at it), `exit_group`, `rt_sigreturn` nor `seccomp` (a process that
// installs a filter itself stops rewriting: the filter may not expect our calls); a call a rule names keeps
// trapping for good: a rewritten fixed-number site can only ever make the number checked, and
// a syscall() trampoline sends every other number to the trap. When: only while the address space has one thread
// (sole_thread.h), with every signal blocked around the write, so nothing executes the bytes
// while they change; on pages that code_pages.h allows, their protection put back exactly.
// Anything refused (a page, a pattern, a policy that refuses mprotect) leaves the site
// trapping, remembered so it is not examined again. A forked child inherits the rewritten
// sites; an exec'd program starts from its own file's bytes.
// Switches (read at arm(), documented in docs/inproc.md): REDIRECT_INPROC_LAZY=0 turns the
// rewriting off (tests, bisecting); REDIRECT_INPROC_COUNT_TRAPS=1 counts dispatch traps and
// writes a notice at exit_group (a debugging aid; its text is not a stable interface).
#pragma once

#include <ucontext.h>

#include "inproc/runtime.h"

namespace redirect::inproc {

/// Reads the switches and where our own image lies (never rewritten). Call from arm(), before
/// the handler is installed: it may use libc.
void init_lazy_sites();

/// At each dispatch trap of x86_64 call `nr` trapped with `uc`, before the handler makes it:
/// counts threads ending (`exit`), writes the trap count at `exit_group` when asked to, and
/// rewrites the site when it qualifies. Never changes the call being made, nor `uc`.
void on_dispatch_trap(const Runtime* rt, long nr, const ucontext_t* uc);

}  // namespace redirect::inproc
