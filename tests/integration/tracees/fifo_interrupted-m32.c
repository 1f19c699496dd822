/* fifo_interrupted built as an i386 program (see fifo_interrupted.c). */
#include "fifo_interrupted.c"
