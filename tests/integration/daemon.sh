# A double-forked daemon that opens a rewritten path after the program (redirect's first child)
# has exited. By default redirect returns with the program's status (5) and the tracer it left
# running still rewrites the daemon's open; with --wait-all redirect waits for every tracee, so
# the open is rewritten and done by the time it returns, with the program's status all the same.
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
  wait_for file_nonempty traced.out
  expect_eq "daemon's rewritten open after redirect returned, --mode $mode" "real content" \
    "$(cat traced.out)"

  rm -f traced.out
  rd --wait-all --mode $mode --rules r.toml "$TRACEES/daemonize" /redirect-virtual/daemon.txt \
    traced.out
  expect_status "daemonize under redirect --wait-all, --mode $mode" 5
  expect_eq "program's stdout, --wait-all, --mode $mode" "program exits" "$OUT"
  # The daemon opens only after the program has exited: --wait-all returned after that.
  [[ -e traced.out ]] ||
    fail "redirect --wait-all returned before the daemon finished (traced.out missing), --mode $mode"
  expect_eq "daemon's rewritten open, --wait-all, --mode $mode" "real content" "$(cat traced.out)"
done
echo PASS
