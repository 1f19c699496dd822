# A program whose own seccomp filter returns SECCOMP_RET_TRACE (for getppid, which redirect does
# not trap, and for openat, which a rule names): without a tracer both fail with ENOSYS, and
# under redirect they must too. redirect marks its own filter's stops (SECCOMP_RET_DATA) and
# fails every other seccomp stop with ENOSYS; it used to run them as its own.
source "$(dirname "$0")/lib/common.bash"

echo "real" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/own$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/own_seccomp_trace" real.txt
expect_ok "native run"
expect_eq "native run" "getppid = ENOSYS
openat = ENOSYS" "$OUT"
for mode in seccomp ptrace; do
  rd --mode $mode --stats --rules r.toml "$TRACEES/own_seccomp_trace" /redirect-virtual/own
  expect_ok "--mode $mode"
  expect_eq "--mode $mode" "getppid = ENOSYS
openat = ENOSYS" "$OUT"
  [[ $ERR == *"2 stops of the program's own seccomp filter"* ]] || fail "not counted: $ERR"
done
echo PASS
