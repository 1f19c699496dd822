# A 32-bit (i386) program on x86_64, dynamic and static, is rewritten in both modes: its own
# syscall numbers (openat is 295), registers (ebx, ecx, ...) and 32-bit pointers, with the
# scratch mapping made by an i386 mmap2 below 4 GiB; each call is logged and counted. Skips
# when no 32-bit tracee could be built or this kernel cannot run i386 programs (no IA32
# emulation: CONFIG_IA32_EMULATION off, or ia32_emulation=0 on the kernel command line; the
# program's execve fails with ENOEXEC, lib/ia32.bash).
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
progs=()
for name in fsops-m32 fsops-m32-static; do
  [[ -x $TRACEES/$name ]] && progs+=("$TRACEES/$name")
done
((${#progs[@]} > 0)) || skip "no 32-bit tracee: the compiler cannot build -m32 (gcc-multilib)"
source "$(dirname "$0")/lib/ia32.bash"
run "$TRACEES/fsops" exec "${progs[0]}" open /dev/null
ia32_check exec
expect_ok "${progs[0]##*/} open /dev/null"
expect_eq "${progs[0]##*/} open /dev/null" "open /dev/null = " "$OUT"

mkdir real
echo "for i386" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/32/(.*)$'
replace = '$WORK/real/\$1'
TOML
ops=(open /redirect-virtual/32/f rename /redirect-virtual/32/f /redirect-virtual/32/g
  open /redirect-virtual/32/g)
# Log lines without their time and pid, a result that is a number (an fd, 0) as N.
log_lines() { cut -d' ' -f3- "$1" | sed -E 's/^\([^)]*\) //; s/ = [0-9]+$/ = N/'; }
expected_log="openat[1] rewrite \"/redirect-virtual/32/f\" -> \"$WORK/real/f\" rule 'virtual' = N
rename[0] rewrite \"/redirect-virtual/32/f\" -> \"$WORK/real/f\" rule 'virtual' = N
rename[1] rewrite \"/redirect-virtual/32/g\" -> \"$WORK/real/g\" rule 'virtual' = N
openat[1] rewrite \"/redirect-virtual/32/g\" -> \"$WORK/real/g\" rule 'virtual' = N"

for prog in "${progs[@]}"; do
  if command -v file >/dev/null; then
    file -L "$prog" | grep -q '32-bit' || fail "$prog is not a 32-bit program: $(file -L "$prog")"
  fi
  name=${prog##*/}
  run "$prog" "${ops[@]}"
  expect_eq "$name: native run" "open /redirect-virtual/32/f = ENOENT
rename /redirect-virtual/32/f /redirect-virtual/32/g = ENOENT
open /redirect-virtual/32/g = ENOENT" "$OUT"

  for mode in seccomp ptrace; do
    rd --mode $mode --log log.txt --stats --rules r.toml "$prog" "${ops[@]}"
    expect_ok "$name under redirect --mode $mode"
    expect_eq "$name rewritten (--mode $mode)" "open /redirect-virtual/32/f = for i386
rename /redirect-virtual/32/f /redirect-virtual/32/g = ok
open /redirect-virtual/32/g = for i386" "$OUT"
    expect_eq "$name: --log (--mode $mode)" "$expected_log" "$(log_lines log.txt)"
    [[ $ERR == *"rule 'virtual' (r.toml:1): 4 hits, 0 rewritten calls failed"* ]] ||
      fail "$name: --stats (--mode $mode) does not count 4 hits: $ERR"
    # The scratch mapping is an i386 one: below 4 GiB, where the program's pointers reach.
    [[ $ERR != *unmapped* && $ERR != *"cannot map"* ]] ||
      fail "$name: scratch mapping trouble (--mode $mode): $ERR"
    mv real/g real/f
  done
done
echo PASS
