# Long run of many short-lived processes under one redirect, until the pid space has wrapped
# around: harden_stress with 4000 processes at a time and 5 checked opens each, repeated until
# pids have been handed out more than pid_max times. Every newcomer on a recycled pid must
# start with clean tracer state. Run by tests/stress/run (not by ctest: minutes long).
source "$SRCDIR/tests/integration/lib/common.bash"

pid_max=$(cat /proc/sys/kernel/pid_max)
batches=$(((pid_max + 3999) / 4000 + 2))
mkdir real
"$TRACEES/harden_stress" --make real
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/wrap/(.*)$'
replace = '$WORK/real/\$1'
TOML
cat >batches.sh <<SH
for i in \$(seq $batches); do
  "$TRACEES/harden_stress" /redirect-virtual/wrap "$WORK/real" 0 4000 5 || exit 1
done
SH
RUN_TIMEOUT=1800 rd --rules r.toml bash batches.sh
expect_ok "$batches batches of 4000 processes"
(($(grep -c "^stress ok: 0 threads, 4000 processes, 20000 opens$" <<<"$OUT") == batches)) ||
  fail "not every batch succeeded: $(tail -3 <<<"$OUT")"
echo "$((batches * 4000)) processes (pid_max $pid_max) under one redirect"
echo PASS
