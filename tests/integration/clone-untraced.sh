# clone(CLONE_UNTRACED) asks the kernel not to attach the child to the tracer. Every descendant
# must still be followed: a child that runs untraced escapes every rule, silently in
# --mode ptrace, and in seccomp mode its trapped syscalls fail with ENOSYS (a SECCOMP_RET_TRACE
# with no tracer). redirect can clear CLONE_UNTRACED at the clone entry stop (clone's flags
# register; clone3's flags field in memory) so the child is traced like any other.
source "$(dirname "$0")/lib/common.bash"

echo "original" >orig.txt
echo "rewritten" >new.txt
cat >r.toml <<'TOML'
# The rules name paths as the program writes them, relative ones included.
paths = "as-passed"

[[rule]]
name = "orig-to-new"
syscalls = ["openat"]
match = '^orig\.txt$'
replace = 'new.txt'
TOML

for how in clone clone3; do
  run "$TRACEES/clone_untraced" orig.txt $how
  [[ $STATUS == 77 ]] && continue # no clone3 on this kernel
  expect_ok "native clone_untraced $how"
  expect_eq "native run ($how)" "child: open = original
parent: child exited 0" "$OUT"

  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml "$TRACEES/clone_untraced" orig.txt $how
    expect_ok "clone_untraced $how under redirect --mode $mode"
    expect_eq "CLONE_UNTRACED child rewritten ($how), --mode $mode" "child: open = rewritten
parent: child exited 0" "$OUT"
  done
done
echo PASS
