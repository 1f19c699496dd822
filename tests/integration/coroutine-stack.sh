# A rewrite made on a 16 KiB makecontext coroutine stack, its stack pointer 300 or 1000 bytes
# above the stack's low end, another coroutine's memory right below: the ~3 KB rewritten path
# must go to redirect's own mapping, and the neighbour must be unchanged, byte for byte (the
# tracee checks). Scratch below the stack pointer wrote the path into the neighbour.
source "$(dirname "$0")/lib/common.bash"

echo "long rewritten" >long
mkdir d
far=$(printf 'd/../%.0s' {1..600})long # 3004 bytes, still a valid path
cat >r.toml <<TOML
[[rule]]
name = "long"
syscalls = ["openat"]
match = '^/redirect-virtual/long$'
replace = '$WORK/$far'
TOML

for gap in 300 1000; do
  run "$TRACEES/coroutine_stack" $gap "$WORK/$far"
  expect_eq "native, gap $gap" "coroutine: open = long rewritten; neighbour clean" "$OUT"
  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml "$TRACEES/coroutine_stack" $gap /redirect-virtual/long
    expect_ok "gap $gap, --mode $mode"
    expect_eq "gap $gap, --mode $mode" "coroutine: open = long rewritten; neighbour clean" "$OUT"
  done
done
echo PASS
