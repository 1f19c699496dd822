// note_program_filter and program_installed_filter (see program_filter.h). A plain atomic
// flag: a fork copies it with the filter it stands for.
#include "inproc/program_filter.h"

#include <atomic>

namespace redirect::inproc {
namespace {

std::atomic<bool> installed{false};

}  // namespace

void note_program_filter() { installed.store(true, std::memory_order_relaxed); }

bool program_installed_filter() { return installed.load(std::memory_order_relaxed); }

}  // namespace redirect::inproc
