# Static Go programs under --backend inproc, under load, many times: the two ways they failed.
# - openers: 8 goroutines opening a rewritten path while the garbage collector runs and preempts
#   them with SIGURG, which lands inside our handler while it makes a call again on its private
#   stack (a Go handler told it had no alternate stack spun in needm(), every signal blocked:
#   8 runs in 10 hung). 20 runs with GOMAXPROCS=2 and 20 with 8.
# - startup: LockOSThread goroutines end their threads while the garbage collector starts new
#   ones; an ending thread calls exit on a stack Go has freed (about 1 run in 130 crashed while
#   the SIGSYS frame went there). 30 runs with GOMAXPROCS=2 and 30 with 8.
# Each run is allowed 20 s (a hung run ignores SIGTERM: every signal is blocked, so timeout
# kills it, 137).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
build_static_go openers startup
write_bundled_file_rules r.toml

run ./startup 9
expect_status "native startup" 9
native_startup=$(grep -v '^env ' <<<"$OUT")

for procs in 2 8; do
  for i in $(seq 1 20); do
    RUN_TIMEOUT=20 GOMAXPROCS=$procs rd --backend inproc --rules r.toml ./openers /redirect-virtual/file
    [[ $STATUS != 124 && $STATUS != 137 ]] ||
      fail "openers run $i with GOMAXPROCS=$procs hung (killed after 20 s)"
    expect_ok "openers run $i with GOMAXPROCS=$procs ($ERR)"
    expect_eq "openers run $i with GOMAXPROCS=$procs" \
      "opened 4000/4000, raw openat true, cat true" "$OUT"
  done
  for i in $(seq 1 30); do
    RUN_TIMEOUT=20 GOMAXPROCS=$procs rd --backend inproc --rules r.toml ./startup 9
    expect_status "startup run $i with GOMAXPROCS=$procs ($ERR)" 9
    expect_eq "startup run $i with GOMAXPROCS=$procs" "$native_startup" "$(grep -v '^env ' <<<"$OUT")"
  done
done
echo PASS
