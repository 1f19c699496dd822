# A cgo (dynamically linked) Go program under --backend inproc: openers.go built with a C
# function. It used to die within a run or two ("signal 23 received on thread with no signal
# stack", "fatal error: non-Go code disabled sigaltstack"; 4 runs in 5): Go's handler, run on
# redirect's private stack while a call was made again, was told the thread had no alternate
# stack. The same cause as the hang of static Go programs; 10 runs, each allowed 20 s.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
command -v go >/dev/null || skip "go is not installed (the golang-go package; scripts/install-deps)"
command -v gcc >/dev/null || skip "gcc is not installed (cgo needs it)"

export CGO_ENABLED=1 GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS= GO111MODULE=off
cp "$SRCDIR/tests/integration/go/openers.go" "$SRCDIR/tests/integration/go/cgo_init.go" .
go build -o openers openers.go cgo_init.go 2>build.err || skip "go build (cgo) failed: $(cat build.err)"
[[ $(od -An -c -j1 -N3 openers | tr -d ' ') == ELF ]] || fail "go build made no ELF file"
write_bundled_file_rules r.toml

for i in $(seq 1 10); do
  RUN_TIMEOUT=20 rd --backend inproc --rules r.toml ./openers /redirect-virtual/file
  expect_ok "cgo openers run $i ($ERR)"
  expect_eq "cgo openers run $i" "opened 4000/4000, raw openat true, cat true" "$OUT"
done
echo PASS
