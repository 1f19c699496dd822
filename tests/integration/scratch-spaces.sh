# redirect's scratch mapping followed through every kind of address space (see
# tracees/scratch_spaces.c), with one-stop rewrites (the return stubs) and with --two-stops:
# a fork child inherits it (no new injected call), a vfork child's
# rewritten execve and its new image get a new one, 8 threads rewrite while a 9th holds its
# slot blocked in a rewritten FIFO open (the mapping grows rather than share a slot). Then
# /proc/PID/maps names it [anon:redirect] where the kernel can name mappings, and a program
# that unmaps it gets EPERM where mseal exists, or else goes on being rewritten (a new mapping):
# both fallbacks run in the VM of Debian 12's 6.1 kernel, which has neither, and the sealed
# mapping in the one of its 6.12 kernel (tests/vm).
source "$(dirname "$0")/lib/common.bash"

mkdir real
echo "a file" >real/a
mkfifo real/fifo
ln -s "$TRACEES/scratch_spaces" real/self
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat", "execve"]
match = '^/redirect-virtual/s/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/scratch_spaces" procs real "$WORK/real/fifo"
expect_eq "native procs" "procs ok" "$OUT"
for mode in seccomp two-stops ptrace; do
  flags=(--mode $mode)
  [[ $mode == two-stops ]] && flags=(--two-stops)
  rd "${flags[@]}" --stats --rules r.toml "$TRACEES/scratch_spaces" procs /redirect-virtual/s \
    "$WORK/real/fifo"
  expect_ok "procs --mode $mode"
  expect_eq "procs --mode $mode" "procs ok" "$OUT"
  # First process 3 (mmap, name, seal), the exec'd image 2 or 3 (naming is not tried again
  # where the kernel refused it); the fork child none; the 9 threads 2 or 3 more when they
  # outgrow the 4 first slots (a second chunk), which depends on timing. One stop (seccomp
  # mode's default): each chunk also makes its stubs executable (mprotect), one more call, and
  # a thread holds its slot from a rewrite until its next trapped call (its stub may still
  # run), so the 9 threads and the main one need up to 3 chunks (4 + 4 + 8 slots).
  [[ $ERR =~ stats:\ engine:\ ([0-9]+)\ injected ]] || fail "no engine stats: $ERR"
  n=${BASH_REMATCH[1]}
  # One-stop rewrites (return stubs) exist on x86_64 only; elsewhere every mode takes two.
  if [[ $mode == seccomp && $(uname -m) == x86_64 ]]; then
    ((n >= 5 && n <= 16)) || fail "--mode $mode: $n injected syscalls: $ERR"
    [[ $ERR =~ rewrites:\ ([0-9]+)\ in\ one\ stop.*\ ([0-9]+)\ in\ two ]] || fail "no rewrites: $ERR"
    ((BASH_REMATCH[1] > 900 && BASH_REMATCH[2] == 0)) || fail "not all in one stop: $ERR"
  else
    ((n >= 5 && n <= 9)) || fail "--mode $mode: $n injected syscalls: $ERR"
    [[ $ERR == *"rewrites: 0 in one stop"* ]] || fail "--mode $mode: one-stop rewrites: $ERR"
  fi
done

rd --rules r.toml "$TRACEES/scratch_spaces" unmap /redirect-virtual/s
expect_ok "unmap"
case $OUT in
  "unmap: 1 new, munmap = EPERM; 100 opens ok")
    ! kernel_fact no-mseal || fail "munmap refused on a kernel declared without mseal: $OUT"
    echo "note: sealed: munmap of the mapping refused" ;;
  "unmap: 1 new, munmap = ok; 100 opens ok")
    ! kernel_fact mseal || fail "the kernel is declared with mseal, yet the mapping was unmapped"
    echo "note: no mseal here; a new mapping took over" ;;
  *) fail "unexpected: $OUT" ;;
esac

run "$TRACEES/scratch_spaces" nameprobe
if [[ $OUT == supported ]]; then
  ! kernel_fact no-vma-names || fail "the kernel is declared without VMA names, yet: $OUT"
  rd --rules r.toml "$TRACEES/scratch_spaces" named /redirect-virtual/s
  expect_eq "named mapping" "named: 1" "$OUT"
else
  echo "note: this kernel cannot name anonymous mappings (CONFIG_ANON_VMA_NAME); not checked"
fi
echo PASS
