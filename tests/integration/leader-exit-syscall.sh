# The thread-group leader exits first (the exit syscall of its own thread) and the other threads
# go on: their opens are still rewritten, and redirect ends with the status the last thread
# gives the process (3). Then a thread execs a rewritten path once the leader is a zombie: the
# exec succeeds, takes the leader's pid, and the new program is traced and rewritten.
source "$(dirname "$0")/lib/common.bash"

mkdir real
echo "leader file" >real/l
cp "$TRACEES/fsops" real/
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat", "execve"]
match = '^/redirect-virtual/le/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/harden_leader_exit" open real/l 10
expect_status "native run" 3
expect_eq "native run" "threads done: 3 x 10" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/harden_leader_exit" open /redirect-virtual/le/l 500
  expect_status "leader exits first (--mode $mode)" 3
  expect_eq "leader exits first (--mode $mode)" "threads done: 3 x 500" "$OUT"

  rd --mode $mode --rules r.toml "$TRACEES/harden_leader_exit" exec /redirect-virtual/le/fsops \
    open /redirect-virtual/le/l
  expect_ok "exec after the leader exited (--mode $mode)"
  expect_eq "exec after the leader exited (--mode $mode)" "open /redirect-virtual/le/l = leader file" "$OUT"
done
echo PASS
