# A program that unmaps the page holding the path right after the call returns and maps
# another page with another path at the same address: every rewrite follows the string the
# program passed at that moment (redirect keeps nothing of the tracee's memory between calls).
# Then the same page unmapped and remapped by a second thread while the first keeps opening
# through it: every open gets file A, file B, EFAULT or ENOENT (see harden_layout.c), never a
# wrong file, and redirect survives.
source "$(dirname "$0")/lib/common.bash"

mkdir real
echo "A file" >real/A
echo "B file" >real/B
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/lay/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/harden_layout" after real/A real/B 200
expect_eq "native run" "after: 200 opens ok" "$OUT"
rd --rules r.toml "$TRACEES/harden_layout" after /redirect-virtual/lay/A /redirect-virtual/lay/B 2000
expect_ok "munmap after each call"
expect_eq "munmap after each call" "after: 2000 opens ok" "$OUT"

# LAYOUT_RACE_OPENS: the emulated VMs of tests/vm run fewer (every syscall of the unmapping
# thread stops in --mode ptrace).
race_opens=${LAYOUT_RACE_OPENS:-5000}
for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/harden_layout" race /redirect-virtual/lay/A \
    /redirect-virtual/lay/B "$race_opens"
  expect_ok "munmap race (--mode $mode)"
  [[ $OUT =~ ^race:\ $race_opens\ opens,\ A=([0-9]+)\ B=([0-9]+) ]] || fail "unexpected: $OUT"
  ((BASH_REMATCH[1] > 0 && BASH_REMATCH[2] > 0)) || fail "no rewrite got through: $OUT"
  echo "--mode $mode: $OUT"
done
echo PASS
