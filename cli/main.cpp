// Entry point: `redirect lint ...`, `redirect explain ...` and `redirect trace ...` are
// subcommands; anything else is a run (`redirect --rules FILE PROG ARGS`), so the common case
// needs no subcommand word. A program that happens to be called "lint" is run with
// `redirect --rules F -- lint`.
#include <cstring>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace redirect::cli;
  if (argc > 1 && std::strcmp(argv[1], "lint") == 0) return lint_main(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "explain") == 0) return explain_main(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "trace") == 0) return trace_main(argc - 1, argv + 1);
  return run_main(argc, argv);
}
