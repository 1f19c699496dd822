# The main thread exits (pthread_exit) while another thread goes on with rewritten opens and
# then calls exit(9): redirect keeps tracing the worker and ends with status 9, as natively.
source "$(dirname "$0")/lib/common.bash"

printf 'real' >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/leader$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/leader_exit" real.txt real 200
expect_status "native leader_exit" 9
expect_eq "native run" "worker: 200 opens ok" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/leader_exit" /redirect-virtual/leader real 200
  expect_status "leader_exit under redirect --mode $mode" 9
  expect_eq "worker after the leader exited, --mode $mode" "worker: 200 opens ok" "$OUT"
done
echo PASS
