# A static program cannot load the in-process backend's library. Exec'd by a redirected program
# (here with an emptied environment), the exec runs the launcher in its exec form instead, so the
# static child is redirected too, with no notice. What still escapes is said on redirect's
# stderr, naming the pid and the path: a static program exec'd by descriptor (fexecve). A
# launched program that re-executes itself through /proc/self/exe (which names the launcher)
# runs itself again. A dynamic program exec'd the same way is redirected (the control).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

[[ -x $TRACEES/fsops-static ]] || skip "no static tracee (the toolchain cannot link -static)"
write_bundled_file_rules r.toml

rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$TRACEES/fsops-static" open \
  /redirect-virtual/file
expect_ok "a static child of a redirected program"
expect_eq "the static child is redirected" "open /redirect-virtual/file = in the bundle" "$OUT"
expect_eq "no notice for a launched static child" "" "$ERR"

rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" thread "$TRACEES/fsops-static" \
  open /redirect-virtual/file
expect_ok "a static child exec'd from a thread"
expect_eq "the static child exec'd from a thread is redirected" \
  "open /redirect-virtual/file = in the bundle" "$OUT"

rd --backend inproc --rules r.toml "$TRACEES/fexec" "$TRACEES/fsops-static" open \
  /redirect-virtual/file
expect_ok "a static program run by descriptor"
expect_eq "the static program run by descriptor is not redirected" \
  "open /redirect-virtual/file = ENOENT" "$OUT"
[[ $ERR =~ ^"redirect: pid "[0-9]+": the program on descriptor "[0-9]+" runs unredirected: static program exec'd by descriptor" ]] ||
  fail "no notice names the static program run by descriptor: $ERR"

if [[ -x $TRACEES/startup_report-static ]]; then
  rd --backend inproc --rules r.toml "$TRACEES/startup_report-static" exec /proc/self/exe again self
  expect_ok "a launched program re-executing /proc/self/exe"
  [[ $OUT == "cmdline=again|self|"* ]] || fail "/proc/self/exe did not run the program again: $OUT"
fi

rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$TRACEES/fsops" open \
  /redirect-virtual/file
expect_ok "a dynamic child of a redirected program"
expect_eq "the dynamic child is redirected" "open /redirect-virtual/file = in the bundle" "$OUT"
expect_eq "no notice for a dynamic child" "" "$ERR"
echo PASS
