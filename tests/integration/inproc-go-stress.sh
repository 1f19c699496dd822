# The load under which static Go programs hung once armed in-process (spinning in needm(),
# every signal blocked, waiting for an M that only cgo programs have): 8 goroutines opening a
# rewritten path while the garbage collector runs and preempts them with SIGURG, which lands
# inside our handler while it makes a call again on its private stack. redirect still refuses
# static Go programs (inproc-go), so this arms the launcher itself with the configuration
# redirect gives a program. 20 runs with GOMAXPROCS=2 and 20 with 8, each allowed 20 s (a hung
# run ignores SIGTERM: every signal is blocked, so timeout kills it, 137); with main's runtime
# 8 runs in 10 hung. go/startup.go is not run here: its LockOSThread goroutines end their
# threads, and a thread's exit is what is not safe yet (docs/inproc.md).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
LAUNCHER=$BUILDDIR/redirect-inproc-exec
[[ -x $LAUNCHER ]] || fail "no launcher at $LAUNCHER"
command -v go >/dev/null || skip "go is not installed (the golang-go package; scripts/install-deps)"

export CGO_ENABLED=0 GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS= GO111MODULE=off
cp "$SRCDIR/tests/integration/go/openers.go" .
go build -o openers openers.go 2>build.err || skip "go build failed: $(cat build.err)"
write_bundled_file_rules r.toml
rd --backend inproc --rules r.toml /usr/bin/env
expect_ok "env under --backend inproc"
config=$(grep '^REDIRECT_INPROC_CONFIG=' <<<"$OUT") || fail "no configuration in: $OUT"

for procs in 2 8; do
  for i in $(seq 1 20); do
    RUN_TIMEOUT=20 run env "$config" GOMAXPROCS=$procs "$LAUNCHER" ./openers /redirect-virtual/file
    [[ $STATUS != 124 && $STATUS != 137 ]] ||
      fail "openers run $i with GOMAXPROCS=$procs hung (killed after 20 s)"
    expect_ok "openers run $i with GOMAXPROCS=$procs ($ERR)"
    expect_eq "openers run $i with GOMAXPROCS=$procs" \
      "opened 4000/4000, raw openat true, cat true" "$OUT"
  done
done
echo PASS
