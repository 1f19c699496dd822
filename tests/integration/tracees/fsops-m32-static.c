/* fsops-m32-static: fsops (see fsops.c) built with -m32 -static: an i386 program with no
 * dynamic loader and no vDSO call through libc.so, whose syscalls enter the kernel through
 * `int $0x80` or the vDSO's sysenter depending on libc's startup. tests/CMakeLists.txt builds
 * *-m32-static.c only when `cc -m32 -static` can link; arch-x86_64-m32.sh skips otherwise. */
#include "fsops.c"
