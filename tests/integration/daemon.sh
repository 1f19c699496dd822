# A double-forked daemon that opens a rewritten path after the program (redirect's first child)
# has exited: redirect waits for every tracee, so the daemon's open is rewritten and done by the
# time redirect returns, and redirect's status is still the program's (5).
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

echo "real content" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/daemon\.txt$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/daemonize" /redirect-virtual/daemon.txt native.out
expect_status "native daemonize" 5
wait_for file_nonempty native.out
expect_eq "native daemon's open" "ENOENT" "$(cat native.out)"

for mode in seccomp ptrace; do
  rm -f traced.out
  rd --mode $mode --rules r.toml "$TRACEES/daemonize" /redirect-virtual/daemon.txt traced.out
  expect_status "daemonize under redirect, --mode $mode" 5
  expect_eq "program's stdout, --mode $mode" "program exits" "$OUT"
  # The daemon opens only after the program has exited; had redirect returned then, EXITKILL would
  # have killed the daemon before its open, and traced.out would never appear.
  [[ -e traced.out ]] || fail "redirect returned before the daemon finished (traced.out missing), --mode $mode"
  expect_eq "daemon's rewritten open, --mode $mode" "real content" "$(cat traced.out)"
done
echo PASS
