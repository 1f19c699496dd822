# Signals that hit a thread with an alternate signal stack while its calls trap, under
# --backend inproc: the SIGSYS handler leaves the alternate stack (where the kernel wrote the
# trap's frame) for its private one, with the alternate stack parked. A signal delivered in
# between, at the top of the alternate stack, would be written over the trap's frame: the
# program crashes, or its handler is told a stack it does not run on. One thread calls getppid
# and opens a rewritten path in a loop while another sends it SIGUSR1 without pause; 8 runs of
# 40000 calls or 1.5 s each, whichever ends first (the storm leaves the caller anything from 2 s
# to over 30 s for 40000 calls). Before the switch and the parking were one rt_sigreturn, 3 runs
# of 40000 calls in 10 failed (2 with SIGSEGV), so this catches that gap in most test runs, not
# always. It takes both CPUs while it runs: ctest runs it alone (tests/CMakeLists.txt).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

echo data >data.txt
cat >r.toml <<TOML
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/data\$'
replace = '$WORK/data.txt'
TOML

run "$TRACEES/altstack_storm" 2000 1.5 data.txt
expect_ok "native storm"
expect_eq "native storm" "storm = calls right, signals handled" "$OUT"
for i in 1 2 3 4 5 6 7 8; do
  rd --backend inproc --rules r.toml "$TRACEES/altstack_storm" 40000 1.5 /redirect-virtual/data
  expect_ok "storm $i under --backend inproc ($ERR)"
  expect_eq "storm $i under --backend inproc" "storm = calls right, signals handled" "$OUT"
done
echo PASS
