# The load under which static Go programs hung under --backend inproc (spinning in needm(),
# every signal blocked, waiting for an M that only cgo programs have): 8 goroutines opening a
# rewritten path while the garbage collector runs and preempts them with SIGURG, which lands
# inside our handler while it makes a call again on its private stack. 20 runs with
# GOMAXPROCS=2 and 20 with 8, each allowed 20 s (a hung run ignores SIGTERM: every signal is
# blocked, so timeout kills it, 137); before the fix 8 runs in 10 hung. Then
# tests/integration/go/startup.go 10 times (the GC, SIGUSR1 to its own handler, os/exec).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
command -v go >/dev/null || skip "go is not installed (the golang-go package; scripts/install-deps)"

export CGO_ENABLED=0 GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS= GO111MODULE=off
for prog in startup openers; do
  cp "$SRCDIR/tests/integration/go/$prog.go" .
  go build -o $prog $prog.go 2>build.err || skip "go build failed: $(cat build.err)"
done
echo "in the bundle" >bundled.txt
cat >r.toml <<TOML
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/file\$'
replace = '$WORK/bundled.txt'
TOML

for procs in 2 8; do
  for i in $(seq 1 20); do
    RUN_TIMEOUT=20 rd --backend inproc --rules r.toml env GOMAXPROCS=$procs ./openers \
      /redirect-virtual/file
    [[ $STATUS != 124 && $STATUS != 137 ]] || fail "openers run $i with GOMAXPROCS=$procs hung (killed after 20 s)"
    expect_ok "openers run $i with GOMAXPROCS=$procs ($ERR)"
    expect_eq "openers run $i with GOMAXPROCS=$procs" \
      "opened 4000/4000, raw openat true, cat true" "$OUT"
  done
done
for i in $(seq 1 10); do
  RUN_TIMEOUT=20 rd --backend inproc --rules r.toml ./startup 9 'two words' ''
  [[ $STATUS != 124 && $STATUS != 137 ]] || fail "startup run $i hung (killed after 20 s)"
  expect_status "startup run $i ($ERR)" 9
  [[ $OUT == *'goroutines: 1600 stats'*'signal: user defined signal 1'*'child: "child says hi\n" <nil>'* ]] ||
    fail "startup run $i: $OUT"
done
echo PASS
