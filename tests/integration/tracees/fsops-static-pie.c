/* fsops-static-pie: fsops (see fsops.c) linked -static-pie: an ET_DYN program without
 * PT_INTERP, which relocates itself; the in-process launcher picks its base address. */
#include "fsops.c"
