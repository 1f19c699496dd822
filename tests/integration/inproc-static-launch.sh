# redirect --backend inproc runs a static program through the launcher (redirect-inproc-exec, in
# its exec form), so it is redirected like a dynamic one: glibc -static and -static-pie, with a
# rewrite. What the launcher cannot start faithfully is refused (exit 125) with the reason: a
# set-user-ID static program owned by someone else, and a launcher that is not where redirect
# looked, naming the paths it tried. The exec form keeps /proc/self/cmdline the program's argv.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

[[ -x $TRACEES/fsops-static ]] || skip "no static tracee (the toolchain cannot link -static)"
write_bundled_file_rules r.toml

for prog in fsops-static fsops-static-pie; do
  [[ -x $TRACEES/$prog ]] || { echo "note: no $prog (the toolchain cannot link it)"; continue; }
  rd --backend inproc --rules r.toml "$TRACEES/$prog" open /redirect-virtual/file
  expect_ok "$prog under --backend inproc"
  expect_eq "$prog is redirected" "open /redirect-virtual/file = in the bundle" "$OUT"
  expect_eq "no notice for $prog" "" "$ERR"
done

if [[ -x $TRACEES/startup_report-static ]]; then
  rd --backend inproc --rules r.toml "$TRACEES/startup_report-static" self
  expect_ok "startup_report-static self"
  [[ $OUT == *"cmdline=$TRACEES/startup_report-static|self|"* ]] ||
    fail "/proc/self/cmdline is not the program's argv: $OUT"
fi

REDIRECT_INPROC_LAUNCHER=$WORK/no-such-launcher rd --backend inproc --rules r.toml \
  "$TRACEES/fsops-static" open /redirect-virtual/file
expect_status "a static program with no launcher" 125
expect_eq "nothing ran without the launcher" "" "$OUT"
[[ $ERR == *"fsops-static: a static program needs the launcher, redirect-inproc-exec not found (looked for $WORK/no-such-launcher;"* ]] ||
  fail "the missing launcher is not named: $ERR"

if [[ $(id -u) == 0 ]] && id nobody >/dev/null 2>&1; then
  cp "$TRACEES/fsops-static" setuid-static
  chown nobody setuid-static
  chmod 4755 setuid-static
  rd --backend inproc --rules r.toml ./setuid-static open /redirect-virtual/file
  expect_status "a set-user-ID static program" 125
  expect_eq "the set-user-ID program did not run" "" "$OUT"
  [[ $ERR == *"setuid-static: a set-user-ID static program: the in-process launcher would run it without its owner's privilege; use --backend ptrace"* ]] ||
    fail "the set-user-ID refusal does not say why: $ERR"
else
  echo "note: not root (or no user nobody): the set-user-ID refusal is not checked"
fi
echo PASS
