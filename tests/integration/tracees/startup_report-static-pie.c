/* startup_report built as a static-pie program (ET_DYN without PT_INTERP): the launcher picks
 * its base address, and glibc relocates itself from AT_PHDR. See startup_report-static.c. */
#include "startup_report-static.c"
