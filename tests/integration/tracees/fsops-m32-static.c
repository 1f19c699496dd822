/* fsops-m32-static: fsops (see fsops.c) built with -m32 -static: an i386 program with no
 * dynamic loader, so its first syscalls are the kernel's i386 entry straight from _start.
 * tests/CMakeLists.txt builds *-m32-static.c only when `cc -m32 -static` can link (libc6-dev-i386's
 * libc.a); arch-x86_64-m32-static.sh skips otherwise. */
#include "fsops.c"
