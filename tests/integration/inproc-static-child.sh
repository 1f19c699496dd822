# A static program cannot load the in-process backend's library. Started by redirect it is
# refused (exit 125, and the message says to use --backend ptrace); exec'd by a redirected
# program it runs unredirected, and a notice on redirect's stderr names its pid and path:
# never silently. A dynamic program exec'd the same way is redirected (the control).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

[[ -x $TRACEES/fsops-static ]] || skip "no static tracee (the toolchain cannot link -static)"
echo "in the bundle" >bundled.txt
cat >r.toml <<TOML
[[rule]]
syscalls = ["openat"]
match = '^/redirect-virtual/file\$'
replace = '$WORK/bundled.txt'
TOML

rd --backend inproc --rules r.toml "$TRACEES/fsops-static" open /redirect-virtual/file
expect_status "a static program started under --backend inproc" 125
expect_eq "stdout of a refused static program (it must not run)" "" "$OUT"
[[ $ERR == *"fsops-static: a static program: --backend inproc cannot redirect it yet"*"--backend ptrace"* ]] ||
  fail "the refusal does not say why: $ERR"

rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$TRACEES/fsops-static" open \
  /redirect-virtual/file
expect_ok "a static child of a redirected program"
expect_eq "the static child runs unredirected" "open /redirect-virtual/file = ENOENT" "$OUT"
[[ $ERR =~ ^"redirect: pid "[0-9]+": $TRACEES/fsops-static runs unredirected: static program" ]] ||
  fail "no notice names the static child: $ERR"

rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$TRACEES/fsops" open \
  /redirect-virtual/file
expect_ok "a dynamic child of a redirected program"
expect_eq "the dynamic child is redirected" "open /redirect-virtual/file = in the bundle" "$OUT"
expect_eq "no notice for a dynamic child" "" "$ERR"
echo PASS
