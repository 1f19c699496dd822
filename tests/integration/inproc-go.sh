# A static Go program (CGO_ENABLED=0) is not run armed in-process yet: a Go thread's exit can
# have the kernel write the SIGSYS frame on a stack Go has already freed (docs/inproc.md).
# Never silently: started by redirect --backend inproc it is
# refused (exit 125, naming it and --backend ptrace); exec'd by a redirected program it runs
# unredirected, as a native exec, and a notice names its pid and path. Go is recognised by its
# build-id note (.note.go.buildid).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
command -v go >/dev/null || skip "go is not installed (the golang-go package; scripts/install-deps)"

export CGO_ENABLED=0 GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS= GO111MODULE=off
cp "$SRCDIR/tests/integration/go/startup.go" .
go build -o startup startup.go 2>build.err || skip "go build failed: $(cat build.err)"
cat >r.toml <<'TOML'
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/file$'
replace = '/dev/null'
TOML

RUN_TIMEOUT=20 rd --backend inproc --rules r.toml ./startup 9 'two words' ''
expect_status "a static Go program under --backend inproc" 125
expect_eq "the refused Go program did not run" "" "$OUT"
[[ $ERR == *"/startup: a static Go program: the exit of one of its threads is not safe in-process yet (docs/inproc.md); use --backend ptrace"* ]] ||
  fail "the Go refusal does not say why: $ERR"

RUN_TIMEOUT=20 rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$WORK/startup" 9 \
  'two words' ''
expect_status "a static Go child of a redirected program (its own exit status)" 9
[[ $OUT == *'goroutines: 1600 stats'* ]] || fail "the Go child did not run to its end: $OUT"
[[ $ERR =~ ^"redirect: pid "[0-9]+": $WORK/startup runs unredirected: static Go program" ]] ||
  fail "no notice names the Go child: $ERR"
echo PASS
