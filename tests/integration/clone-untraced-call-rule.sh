# A whole-call rule on clone or clone3 (an `allow` that lint accepts) decides the call but
# changes nothing. The engine's own trap must still clear CLONE_UNTRACED: it asks whether
# registers are waiting to be restored, not whether a rule had a say, so a child started with
# CLONE_UNTRACED stays traced and its opens are rewritten (untraced, in --mode ptrace they reach
# the host; in seccomp mode its trapped calls fail with ENOSYS).
source "$(dirname "$0")/lib/common.bash"

echo "original" >orig.txt
echo "rewritten" >new.txt
for call in clone clone3; do
  cat >r.toml <<TOML
paths = "as-passed"

[[rule]]
name = "orig-to-new"
syscalls = ["openat"]
match = '^orig\.txt\$'
replace = 'new.txt'

[[rule]]
name = "clones-allowed"
syscalls = ["$call"]
match = ''
action = "allow"
TOML
  "$REDIRECT" lint --strict r.toml >/dev/null 2>&1 || fail "lint --strict rejects the $call allow rule"
  run "$TRACEES/clone_untraced" orig.txt $call
  [[ $STATUS == 77 ]] && continue # no clone3 on this kernel
  expect_ok "native clone_untraced $call"
  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml "$TRACEES/clone_untraced" orig.txt $call
    expect_ok "clone_untraced $call with an allow rule on $call, --mode $mode"
    expect_eq "CLONE_UNTRACED child rewritten ($call, allow rule), --mode $mode" "child: open = rewritten
parent: child exited 0" "$OUT"
  done
done
echo PASS
