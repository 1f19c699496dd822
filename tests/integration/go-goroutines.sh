# A static Go program (CGO_ENABLED=0, built here from go/goroutines.go): 64 goroutines stat and
# read files whose paths a rule rewrites into a ~3.4 KB directory, each checking a canary array
# on its own stack after every call and every byte of every file, and a goroutine that recurses
# to every depth up to 300 with os.Stat and a read at the bottom, checking each frame on the
# way back. Go runs `syscall` on a goroutine's small heap stack, whose neighbour is another
# goroutine's stack: scratch strings written below the stack pointer corrupted them ("fatal
# error: unexpected return pc"); redirect's own mapping must leave them alone, run after run.
source "$(dirname "$0")/lib/common.bash"
build_static_go goroutines

mkdir data
for i in 0 1 2 3; do head -c $((3000 + i * 1111)) /dev/urandom >data/f$i; done
long=$WORK
seg=$(printf 'd%.0s' {1..240})
for i in $(seq 1 14); do long=$long/$seg; done
mkdir -p "$long"
cp data/f* "$long/"
((${#long} > 3300)) || fail "the long directory is only ${#long} bytes"
cat >r.toml <<TOML
[[rule]]
name = "go"
syscalls = ["%file"]
match = '^/redirect-virtual/go/(.*)$'
replace = '$long/\$1'
TOML

run ./goroutines data 5 50 data
expect_ok "native run"
expect_eq "native run" "ok" "$OUT"

for i in 1 2 3 4 5; do
  rd --stats --rules r.toml ./goroutines /redirect-virtual/go 40 300 data
  expect_ok "run $i under redirect"
  expect_eq "run $i under redirect" "ok" "$OUT"
  [[ $ERR == *"stats: syscalls: "[1-9]*" rewritten"* ]] || fail "run $i: nothing rewritten: $ERR"
done
echo PASS
