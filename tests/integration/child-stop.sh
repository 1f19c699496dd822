# Job control inside the traced program, as a shell run under redirect does it: a child that
# stops itself is reported stopped to its real parent (waitpid WUNTRACED), SIGCONT is reported
# (WCONTINUED), and the exit status follows. Same output as natively, in both modes.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
run "$TRACEES/child_stop"
expect_ok "native child_stop"
native=$OUT
expect_eq "native run" "stopped: yes (signal 19)
continued: yes
exited: 4" "$native"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/child_stop"
  expect_ok "child_stop under redirect --mode $mode"
  expect_eq "job control seen by the real parent, --mode $mode" "$native" "$OUT"
done
echo PASS
