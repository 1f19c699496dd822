// The process's one Runtime (see runtime.h).
#include "inproc/runtime.h"

namespace redirect::inproc {
namespace {
const Runtime* the_runtime = nullptr;
}  // namespace

const Runtime* runtime() { return the_runtime; }
void set_runtime(const Runtime* r) { the_runtime = r; }

}  // namespace redirect::inproc
