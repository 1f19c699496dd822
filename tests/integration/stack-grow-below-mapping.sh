# A rewritten openat made with the stack pointer just above the lowest page of the main
# thread's [stack] mapping (a deep recursion): the new path must go below it, where the stack
# has not grown yet. process_vm_writev cannot grow it (Linux >= 6.5), so redirect must get
# there another way; failing the call would break a correct program.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

mkdir real
echo "rewritten" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/(.*)$'
replace = '$WORK/real/\$1'
TOML
run "$TRACEES/stack_grow" "$WORK/real/f"
expect_eq "native run" "openat = rewritten" "$OUT"
for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/stack_grow" /redirect-virtual/f
  expect_ok "stack_grow --mode $mode"
  expect_eq "rewritten at the bottom of the stack (--mode $mode)" "openat = rewritten" "$OUT"
done
echo PASS
