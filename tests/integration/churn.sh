# Task churn: 120 rounds (CHURN_ROUNDS; the emulated VMs of tests/vm run fewer) of 8 threads and a forked child each doing rewritten opens, created and
# gone again, so new tasks' first stops race with their creators' clone events and exits race
# with stops. Every open must read the rewritten file, and redirect must print nothing.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

printf 'churned' >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/churn$'
replace = '$WORK/real.txt'
TOML

rounds=${CHURN_ROUNDS:-120}
opens=$((rounds * 9 * 5)) # each round: 8 threads and a child, 5 opens each
run "$TRACEES/churn" real.txt churned "$rounds" 8 5
expect_ok "native churn"
expect_eq "native run" "churn ok $opens" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/churn" /redirect-virtual/churn churned "$rounds" 8 5
  expect_ok "churn under redirect, --mode $mode"
  expect_eq "task churn under redirect, --mode $mode" "churn ok $opens" "$OUT"
  expect_eq "redirect's stderr, --mode $mode" "" "$ERR"
done
echo PASS
