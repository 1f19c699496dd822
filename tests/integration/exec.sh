# execve, posix_spawn and system() of a rewritten path run the rewritten program, which is itself
# traced: its own open of a rewritten path is rewritten too. Natively the virtual program does
# not exist (ENOENT, or 127 from the shell).
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

echo "data x" >x
cat >r.toml <<TOML
[[rule]]
name = "bin"
syscalls = ["%file"]
match = '^/redirect-virtual/bin/(.*)$'
replace = '$TRACEES/\$1'

[[rule]]
name = "data"
syscalls = ["%file"]
match = '^/redirect-virtual/data/(.*)$'
replace = '$WORK/\$1'
TOML

prog=/redirect-virtual/bin/fsops
data=/redirect-virtual/data/x

run "$TRACEES/fsops" exec $prog open $data
expect_eq "native execve" "exec $prog = ENOENT" "$OUT"
run "$TRACEES/spawn" posix_spawn $prog open $data
expect_eq "native posix_spawn" "posix_spawn = ENOENT" "$OUT"
run "$TRACEES/spawn" system "$prog open $data"
expect_eq "native system" "system = exit 127" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/fsops" exec $prog open $data
  expect_ok "execve under redirect, --mode $mode"
  expect_eq "execve of a rewritten path, --mode $mode" "open $data = data x" "$OUT"

  rd --mode $mode --rules r.toml "$TRACEES/spawn" posix_spawn $prog open $data
  expect_ok "posix_spawn under redirect, --mode $mode"
  expect_eq "posix_spawn of a rewritten path, --mode $mode" "open $data = data x
posix_spawn = exit 0" "$OUT"

  rd --mode $mode --rules r.toml "$TRACEES/spawn" system "$prog open $data"
  expect_ok "system under redirect, --mode $mode"
  expect_eq "system() of a rewritten path, --mode $mode" "open $data = data x
system = exit 0" "$OUT"

  # A rewritten program path that does not exist fails as a missing program does natively.
  rd --mode $mode --rules r.toml "$TRACEES/fsops" exec /redirect-virtual/bin/fsops-missing open $data
  expect_eq "execve of a rewritten path that does not exist, --mode $mode" \
    "exec /redirect-virtual/bin/fsops-missing = ENOENT" "$OUT"
done
echo PASS
