// The subcommands of the `redirect` program, one file each (run.cpp, lint.cpp, explain.cpp,
// trace.cpp);
// main.cpp only picks one. Each takes the arguments after its own name and returns the exit
// status.
#pragma once

namespace redirect::cli {

/// `redirect [OPTIONS] [--] PROG [ARGS...]`: run PROG under the rules.
int run_main(int argc, char** argv);
/// `redirect lint [--strict] [--format text|json] FILE...`
int lint_main(int argc, char** argv);
/// `redirect explain --rules FILE [--rules FILE...] SYSCALL STRING`
int explain_main(int argc, char** argv);
/// `redirect trace [--rules FILE]... [--format text|json] [--report FILE]
/// [--suggest ROOT [--var NAME] [-o FILE]] [--] PROG [ARGS...]`: run PROG, report its path calls.
int trace_main(int argc, char** argv);

}  // namespace redirect::cli
