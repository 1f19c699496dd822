# The cgroup v2 freezer makes a blocked syscall restart without any signal: the kernel rewinds
# the instruction pointer onto the syscall instruction. Under redirect's one-stop rewrites the
# call returns into the return stub, whose first bytes jump back onto the program's own
# `syscall` with its own registers: the restarted call stops at its entry again and is
# rewritten anew (more seccomp stops than a run never frozen; --stats counts the call once,
# its first entries taken back as with two stops), and the program sees what it sees
# natively (tracees/fifo_regs.c: a FIFO open with its argument registers checked). Frozen and
# thawed three times while blocked, in one stop and with --two-stops. Skips without a writable
# cgroup v2 hierarchy.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

root=
for dir in /sys/fs/cgroup/unified /sys/fs/cgroup; do
  if [[ $(stat -f -c %T "$dir" 2>/dev/null) == cgroup2fs && -w $dir ]]; then root=$dir; break; fi
done
[[ -n $root ]] || skip "no writable cgroup v2 hierarchy"
CG=$root/redirect-freezer-test.$$
mkdir "$CG" 2>/dev/null || skip "cannot make a cgroup under $root"
[[ -f $CG/cgroup.freeze ]] || { rmdir "$CG"; skip "no cgroup.freeze (a kernel before 5.2)"; }
trap 'echo 0 >"$CG/cgroup.freeze" 2>/dev/null; sleep 0.2; rmdir "$CG" 2>/dev/null; cleanup' EXIT

mkfifo real.fifo
cat >r.toml <<TOML
[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo\$'
replace = '$WORK/real.fifo'
TOML

frozen() { grep -q '^frozen 1' "$CG/cgroup.events"; }
thawed() { grep -q '^frozen 0' "$CG/cgroup.events"; }
# freeze_run CMD...: runs CMD in the cgroup, freezes and thaws it 3 times while it blocks in
# the FIFO open, then writes "hello" into the FIFO; sets STATUS, OUT and ERR.
freeze_run() {
  sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$CG" "$@" >out 2>err &
  local pid=$!
  sleep 0.5
  for _ in 1 2 3; do
    echo 1 >"$CG/cgroup.freeze"
    wait_for frozen
    echo 0 >"$CG/cgroup.freeze"
    wait_for thawed
    sleep 0.1
  done
  # A reader that is gone (a broken restart) must not leave the writer blocked forever.
  timeout 10 sh -c 'printf hello >real.fifo' || echo "note: nobody read the FIFO" >&2
  STATUS=0
  wait $pid || STATUS=$?
  OUT=$(cat out) ERR=$(cat err)
}

freeze_run "$TRACEES/fifo_regs" real.fifo
expect_ok "native fifo_regs"
expect_eq "native" "read: hello
registers preserved" "$OUT"
native=$OUT
# The same run never frozen: its seccomp stops, against which the restarts show.
sh -c 'sleep 0.5; printf hello >real.fifo' &
rd --stats --rules r.toml "$TRACEES/fifo_regs" /redirect-virtual/fifo
wait
expect_ok "fifo_regs under redirect, never frozen"
[[ $ERR =~ ([0-9]+)\ seccomp ]] || fail "no stop stats: $ERR"
unfrozen_stops=${BASH_REMATCH[1]}
for how in one two; do
  flags=(--stats)
  [[ $how == two ]] && flags+=(--two-stops)
  freeze_run "$REDIRECT" "${flags[@]}" --rules r.toml "$TRACEES/fifo_regs" /redirect-virtual/fifo
  expect_ok "fifo_regs under redirect ($how stop(s))"
  expect_eq "frozen and thawed under redirect ($how stop(s))" "$native" "$OUT"
  [[ $ERR =~ rewrites:\ ([0-9]+)\ in\ one\ stop.*,\ ([0-9]+)\ in\ two\ stops ]] ||
    fail "no rewrite stats: $ERR"
  if [[ $how == one ]]; then
    ((BASH_REMATCH[1] == 1 && BASH_REMATCH[2] == 0)) || fail "one stop: $ERR"
    [[ $ERR =~ ([0-9]+)\ seccomp ]] && ((BASH_REMATCH[1] >= unfrozen_stops + 2)) ||
      fail "one stop: the call was not restarted and rewritten again ($unfrozen_stops seccomp stops never frozen): $ERR"
  else
    # Two stops: each restart shows at an exit stop, and the count is taken back
    # (interrupted_calls.h), so one rewrite and more than one exit stop.
    ((BASH_REMATCH[1] == 0 && BASH_REMATCH[2] == 1)) || fail "two stops: $ERR"
    [[ $ERR =~ ([0-9]+)\ syscall\ exit ]] && ((BASH_REMATCH[1] >= 2)) ||
      fail "two stops: the call was not restarted: $ERR"
  fi
done
echo PASS
