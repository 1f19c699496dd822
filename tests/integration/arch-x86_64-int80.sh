# A 64-bit program making an i386 syscall with `int $0x80` (openat as number 295, arch
# AUDIT_ARCH_I386 for seccomp) is rewritten like any other call, in both modes: alone, and
# after a 64-bit call was rewritten first (whose scratch mapping lies above 4 GiB, out of a
# 32-bit pointer's reach, as is the 64-bit stack). Never EFAULT, never a false "unmapped"
# notice. Skips where the kernel has no IA32 emulation (int $0x80 dies of SIGSEGV there,
# lib/ia32.bash).
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

echo "original" >orig.txt
echo "rewritten" >new.txt
cat >r.toml <<TOML
[[rule]]
name = "orig-to-new"
syscalls = ["openat"]
match = '^$WORK/orig\.txt\$'
replace = '$WORK/new.txt'
TOML

source "$(dirname "$0")/lib/ia32.bash"
run "$TRACEES/int80_x86_64" orig.txt
ia32_check int80
expect_ok "native int \$0x80"
expect_eq "native int \$0x80" "openat = original" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --log log.txt --rules r.toml "$TRACEES/int80_x86_64" orig.txt
  expect_ok "--mode $mode: int \$0x80 alone"
  expect_eq "--mode $mode: int \$0x80 alone" "openat = rewritten" "$OUT"
  expect_eq "--mode $mode: stderr" "" "$ERR"
  expect_eq "--mode $mode: --log" \
    "openat[1] rewrite \"orig.txt\" ($WORK/orig.txt) -> \"$WORK/new.txt\" rule 'orig-to-new' = N" \
    "$(cut -d' ' -f3- log.txt | sed -E 's/^\([^)]*\) //; s/ = [0-9]+$/ = N/')"

  rd --mode $mode --rules r.toml "$TRACEES/int80_x86_64" orig.txt orig.txt
  expect_ok "--mode $mode: int \$0x80 after a 64-bit rewrite"
  expect_eq "--mode $mode: int \$0x80 after a 64-bit rewrite" "syscall openat = rewritten
openat = rewritten" "$OUT"
  expect_eq "--mode $mode: stderr after a 64-bit rewrite" "" "$ERR"
done
echo PASS
