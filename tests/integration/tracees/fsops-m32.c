/* fsops-m32: fsops (see fsops.c) built with -m32: an i386 program on an x86_64 host, which has
 * its own syscall numbers (openat is 295, not 257), its own registers and no red zone.
 * tests/CMakeLists.txt builds *-m32.c only when `cc -m32` can link; arch-x86_64-m32.sh skips
 * otherwise, and also when this kernel cannot run i386 programs. */
#include "fsops.c"
