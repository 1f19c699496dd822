/* fsops-static: fsops (see fsops.c) linked with -static: no dynamic loader, no libc.so opens,
 * a different startup (static TLS, IRELATIVE relocations) under the tracer. tests/CMakeLists.txt
 * builds *-static.c only when the toolchain can link statically; static.sh skips otherwise. */
#include "fsops.c"
