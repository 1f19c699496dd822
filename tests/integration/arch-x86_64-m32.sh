# A 32-bit (i386) program on x86_64 is either rewritten correctly (its own syscall numbers and
# registers) or refused with exit 125 and a message; running it unrewritten is the one wrong
# answer. Skips when no 32-bit tracee could be built or this kernel cannot run i386 programs.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
prog=$TRACEES/fsops-m32
[[ -x $prog ]] || skip "no 32-bit tracee: the compiler cannot build -m32 (gcc-multilib)"
if command -v file >/dev/null; then
  file -L "$prog" | grep -q '32-bit' || fail "$prog is not a 32-bit program: $(file -L "$prog")"
fi
run "$prog" open /dev/null
[[ $STATUS == 0 ]] || skip "this kernel cannot run i386 programs: $ERR (status $STATUS)"

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

run "$prog" "${ops[@]}"
expect_eq "native run" "open /redirect-virtual/32/f = ENOENT
rename /redirect-virtual/32/f /redirect-virtual/32/g = ENOENT
open /redirect-virtual/32/g = ENOENT" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$prog" "${ops[@]}"
  if [[ $STATUS == 125 ]]; then
    expect_eq "refused i386 program (--mode $mode): stdout" "" "$OUT"
    [[ -n $ERR ]] || fail "i386 program refused (--mode $mode) without a message"
    echo "refused (--mode $mode): $ERR"
    continue
  fi
  expect_ok "i386 fsops under redirect --mode $mode"
  expect_eq "i386 program rewritten (--mode $mode)" "open /redirect-virtual/32/f = for i386
rename /redirect-virtual/32/f /redirect-virtual/32/g = ok
open /redirect-virtual/32/g = for i386" "$OUT"
  mv real/g real/f
done
echo PASS
