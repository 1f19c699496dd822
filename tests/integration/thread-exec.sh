# execve from a thread that is not the thread-group leader (the exec'ing thread takes over the
# leader's pid): the exec path is rewritten, and the new program stays traced and rewritten.
# Checked in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

mkdir real
cp "$TRACEES/fsops" real/
echo "after thread exec" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/t/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/thread_exec" /redirect-virtual/t/fsops open /redirect-virtual/t/f
expect_eq "native run" "execve /redirect-virtual/t/fsops from a thread = ENOENT" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/thread_exec" /redirect-virtual/t/fsops open /redirect-virtual/t/f \
    open /redirect-virtual/t/f
  expect_ok "thread_exec under redirect, --mode $mode"
  expect_eq "exec from a non-leader thread, --mode $mode" "open /redirect-virtual/t/f = after thread exec
open /redirect-virtual/t/f = after thread exec" "$OUT"
done
echo PASS
