# Inline-asm `syscall` doing a rewritten openat: rdi, rsi, rdx, r10, r8, r9 come back as the
# program set them (redirect restores the argument registers, with its return stub or at the
# exit stop), rcx and r11 as `syscall` leaves them, callee-saved registers and rsp unchanged, the
# 128-byte red zone below rsp is intact, and the program's own string is unchanged.
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

# Both ways of putting the registers back: the return stub (one stop, the default) and the
# exit stop (--two-stops); --stats says which one ran.
for how in one two; do
  flags=(--stats)
  [[ $how == two ]] && flags+=(--two-stops)
  rd "${flags[@]}" --rules r.toml "$TRACEES/regs_x86_64" /redirect-virtual/regs
  expect_ok "regs_x86_64 under redirect ($how stop(s))"
  expect_eq "registers across a rewritten openat ($how stop(s))" "real file
registers preserved" "$OUT"
  if [[ $how == one ]]; then want="1 in one stop (0 results not seen), 0 in two stops"
  else want="0 in one stop (0 results not seen), 1 in two stops"; fi
  [[ $ERR == *"stats: rewrites: $want"* ]] || fail "$how stop(s): not '$want': $ERR"
done

rd --mode ptrace --rules r.toml "$TRACEES/regs_x86_64" /redirect-virtual/regs
expect_ok "regs_x86_64 under redirect --mode ptrace"
expect_eq "registers across a rewritten openat (ptrace mode)" "real file
registers preserved" "$OUT"
echo PASS
