# Inline-asm `syscall` doing a rewritten openat: rdi, rsi, rdx, r10, r8, r9 come back as the
# program set them (redirect restores the argument registers at the exit stop), the 128-byte red
# zone below rsp is intact, and the program's own string is unchanged.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

echo "real file" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/regs$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/regs_x86_64" real.txt
expect_ok "native regs_x86_64"
expect_eq "native run" "real file
registers preserved" "$OUT"

rd --rules r.toml "$TRACEES/regs_x86_64" /redirect-virtual/regs
expect_ok "regs_x86_64 under redirect"
expect_eq "registers across a rewritten openat" "real file
registers preserved" "$OUT"

rd --mode ptrace --rules r.toml "$TRACEES/regs_x86_64" /redirect-virtual/regs
expect_ok "regs_x86_64 under redirect --mode ptrace"
expect_eq "registers across a rewritten openat (ptrace mode)" "real file
registers preserved" "$OUT"
echo PASS
