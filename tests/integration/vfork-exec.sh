# vfork + execve of a rewritten path: the vfork child (sharing the parent's memory, parent
# suspended) is traced, its exec path rewritten, and the program it runs is traced as well.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

mkdir real
cp "$TRACEES/fsops" real/
echo "vforked" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/v/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/spawn" vfork /redirect-virtual/v/fsops open /redirect-virtual/v/f
expect_ok "native spawn vfork"
expect_eq "native run" "vfork = exit 127" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/spawn" vfork /redirect-virtual/v/fsops open /redirect-virtual/v/f
  expect_ok "spawn vfork under redirect, --mode $mode"
  expect_eq "vfork + exec of a rewritten path, --mode $mode" "open /redirect-virtual/v/f = vforked
vfork = exit 0" "$OUT"
done
echo PASS
