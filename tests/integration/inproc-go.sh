# A static Go program (CGO_ENABLED=0) under --backend inproc, through the launcher: started by
# redirect it runs as it runs natively (arguments, goroutines on several threads, the garbage
# collector, its own signal handler, os/exec, the exit status) and its opens are rewritten;
# exec'd by a redirected program with an emptied environment it is armed again, through the
# launcher, with no notice. Go's runtime checks where each of its signal handlers runs, and
# preempts goroutines with SIGURG at any instruction, inside our handler too (the hang this
# backend had is covered by inproc-go-stress and inproc-altstack-*).
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

# Everything but the environment, which under --backend inproc also holds the configuration.
without_env() { grep -v '^env ' <<<"$1"; }
run ./startup 9 'two words' ''
expect_status "native startup" 9
native=$(without_env "$OUT")
[[ $native == *'goroutines: 1600 stats'*'signal: user defined signal 1'*'child: "child says hi\n" <nil>'* ]] ||
  fail "native run: $native"
RUN_TIMEOUT=30 rd --backend inproc --rules r.toml ./startup 9 'two words' ''
expect_status "startup under --backend inproc" 9
expect_eq "startup under --backend inproc" "$native" "$(without_env "$OUT")"
expect_eq "nothing said about startup" "" "$ERR"

RUN_TIMEOUT=30 rd --backend inproc --rules r.toml ./openers /redirect-virtual/file
expect_ok "openers under --backend inproc ($ERR)"
expect_eq "openers under --backend inproc" "opened 4000/4000, raw openat true, cat true" "$OUT"

RUN_TIMEOUT=30 rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$WORK/openers" \
  /redirect-virtual/file
expect_ok "openers exec'd with an empty environment ($ERR)"
expect_eq "openers exec'd with an empty environment" \
  "opened 4000/4000, raw openat true, cat true" "$OUT"
expect_eq "nothing said about the exec'd Go program" "" "$ERR"
echo PASS
