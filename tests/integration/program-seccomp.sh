# A program that installs its own seccomp filter (here one that refuses ptrace, as sandboxes
# do) and then execs another program: the filters stack, redirect's SECCOMP_RET_TRACE still
# reaches it, and the exec'd program's opens are still rewritten.
source "$(dirname "$0")/lib/common.bash"

echo "real" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/sandboxed$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/no_ptrace" "$TRACEES/fsops" open /redirect-virtual/sandboxed
expect_eq "native run" "open /redirect-virtual/sandboxed = ENOENT" "$OUT"

for mode in seccomp ptrace; do
  rd --mode $mode --rules r.toml "$TRACEES/no_ptrace" "$TRACEES/fsops" open /redirect-virtual/sandboxed
  expect_ok "sandboxed fsops under redirect --mode $mode"
  expect_eq "rewritten under the program's own filter, --mode $mode" \
    "open /redirect-virtual/sandboxed = real" "$OUT"
done
echo PASS
