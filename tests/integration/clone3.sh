# A child made with clone3 (fork-like) is traced: its open of a rewritten path is rewritten.
# Skips where the kernel has no clone3.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

echo "clone3 child" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/clone3$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/clone3" /redirect-virtual/clone3
[[ $STATUS == 77 ]] && skip "no clone3 on this kernel"
expect_ok "native clone3"
expect_eq "native run" "child: open /redirect-virtual/clone3 = ENOENT
parent: child exited 0" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/clone3" /redirect-virtual/clone3
  expect_ok "clone3 under redirect, --mode $mode"
  expect_eq "clone3 child rewritten, --mode $mode" "child: open /redirect-virtual/clone3 = clone3 child
parent: child exited 0" "$OUT"
done
echo PASS
