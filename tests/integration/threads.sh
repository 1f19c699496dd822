# 8 threads x 2000 opens of rewritten paths, each checking the bytes it read: rewrites in one
# thread must not leak into another's registers or scratch memory.
source "$(dirname "$0")/lib/common.bash"

make_threads_files real

cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/threads/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/threads_open" real 8 2000
expect_ok "native threads_open"
expect_eq "native run" "threads ok 16000" "$OUT"

run "$TRACEES/threads_open" /redirect-virtual/threads 1 1
expect_eq "virtual path natively" 1 "$STATUS"

rd --rules r.toml "$TRACEES/threads_open" /redirect-virtual/threads 8 2000
expect_ok "threads_open under redirect"
expect_eq "8 threads x 2000 rewritten opens" "threads ok 16000" "$OUT"

# --mode ptrace stops at every syscall of every thread: fewer opens keep the test fast.
rd --mode ptrace --rules r.toml "$TRACEES/threads_open" /redirect-virtual/threads 8 500
expect_ok "threads_open under redirect --mode ptrace"
expect_eq "8 threads x 500 rewritten opens, --mode ptrace" "threads ok 4000" "$OUT"
echo PASS
