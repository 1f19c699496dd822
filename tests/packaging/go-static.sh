# A static Go program (raw syscalls, no libc, goroutine stacks) built with golang-go: it reads
# its greeting from /usr/share/gohello and keeps a counter in /var/lib/gohello, as a packaged
# service would. The read maps into the bundle, the write into the data directory (which trace
# creates), and the host's /var/lib is left alone.
source "$(dirname "$0")/lib.bash"
command -v go >/dev/null || skip "go is not installed (golang-go)"
absent /usr/share/gohello /var/lib/gohello
mkdir -p src "$BUNDLE/usr/bin" "$BUNDLE/usr/share/gohello"
cat >src/main.go <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	greeting, err := os.ReadFile("/usr/share/gohello/greeting.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	count := 0
	if old, err := os.ReadFile("/var/lib/gohello/count"); err == nil {
		fmt.Sscan(string(old), &count)
	}
	count++
	if err := os.WriteFile("/var/lib/gohello/count", []byte(fmt.Sprint(count)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("%s, run %d\n", strings.TrimSpace(string(greeting)), count)
}
GO
(cd src && GOCACHE=$WORK/gocache GOPATH=$WORK/gopath GOFLAGS=-mod=mod GO111MODULE=off \
  CGO_ENABLED=0 go build -o "$BUNDLE/usr/bin/gohello" main.go) || fail "go build failed"
file "$BUNDLE/usr/bin/gohello" 2>/dev/null | grep -q "statically linked" ||
  ! ldd "$BUNDLE/usr/bin/gohello" >/dev/null 2>&1 || fail "gohello is not static"
echo "hello from the bundle" >"$BUNDLE/usr/share/gohello/greeting.txt"
works() { [[ $STATUS == 0 && $OUT == "hello from the bundle, run "* ]]; }
learn 3 works -- "$BUNDLE/usr/bin/gohello"
run_app --rules "$RULES" -- "$BUNDLE/usr/bin/gohello"
[[ $OUT == "hello from the bundle, run 2" ]] || fail "the counter is not kept: $OUT $ERR"
[[ -e $BUNDLE/data/gohello/count ]] || fail "the counter is not in the data directory"
[[ ! -e /var/lib/gohello ]] || fail "the program wrote to the host's /var/lib"
echo PASS
