# PID reuse: a process SIGKILLed in the middle of a rewritten syscall (blocked opening a FIFO
# through a rewritten path, its registers still to be restored at the exit stop that never
# comes) and a new process that gets the same pid right after (forced with ns_last_pid). The
# newcomer must start clean: all its opens rewritten and checked, exit 0. In both modes. The
# long version (the pid space wrapping around many times) is in `make stress`.
source "$(dirname "$0")/lib/common.bash"

echo "reuse file" >real
mkfifo fifo
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/pr/(file|fifo)$'
replace = '$WORK/\$1'
TOML
mv real file

run "$TRACEES/harden_pid_reuse" file fifo 3
[[ $STATUS == 77 ]] && skip "ns_last_pid is not writable here: $OUT"
expect_ok "native run"
[[ $OUT == "reuse: 3 rounds, "* ]] || fail "native: $OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/harden_pid_reuse" /redirect-virtual/pr/file \
    /redirect-virtual/pr/fifo 30
  expect_ok "pid reuse (--mode $mode)"
  [[ $OUT =~ ^reuse:\ 30\ rounds,\ ([0-9]+)\ pids\ reused$ ]] || fail "unexpected: $OUT"
  ((BASH_REMATCH[1] >= 10)) || fail "too few pids reused to test anything: $OUT"
  echo "--mode $mode: $OUT"
done
echo PASS
