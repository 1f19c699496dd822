// process_ended: whether a process redirect does not wait for has ended, from /proc: a child
// that runs, one that has exited but is not reaped (a zombie), and one reaped.
#include "cli/process_ended.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace redirect;

TEST_CASE("process_ended: running, a zombie, reaped") {
  int go[2];
  REQUIRE(::pipe(go) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    char c;
    (void)!::read(go[0], &c, 1);  // runs until the parent writes
    ::_exit(0);
  }
  ::close(go[0]);
  CHECK_FALSE(cli::process_has_ended(child));
  REQUIRE(::write(go[1], "x", 1) == 1);
  ::close(go[1]);
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
  CHECK(cli::process_has_ended(child));  // a zombie: ended, not reaped yet
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(cli::process_has_ended(child));
}

TEST_CASE("process_ended: our own process runs; no pid is not known to have ended") {
  CHECK_FALSE(cli::process_has_ended(::getpid()));
  CHECK_FALSE(cli::process_has_ended(0));
}
