# A program that installs a seccomp filter refusing mmap (SECCOMP_RET_KILL_PROCESS or EPERM)
# and then execs a static program, which the kernel loads without mmap: natively it runs. In-
# process the runtime makes no mmap of its own for that exec (the new environment array is
# built on its private stack) and does not route it through the launcher, which maps the
# program with mmap: the program runs, unredirected, as natively, and redirect says so once.
# Before, the runtime's mmap killed the process (kill) or failed the program's exec (EPERM).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
[[ -x $TRACEES/fsops-static ]] || skip "no fsops-static (libc6-dev's libc.a is missing)"

echo "real" >real.txt
write_root_alias_rules r.toml
for action in kill errno; do
  prog=("$TRACEES/allowlist" filter-exec "$action" mmap "$TRACEES/fsops-static" open
    "$WORK/real.txt")
  run "${prog[@]}"
  expect_ok "natively, $action"
  expect_eq "natively, $action" "open $WORK/real.txt = real" "$OUT"
  rd --backend inproc --rules r.toml "${prog[@]}"
  expect_ok "in-process, a filter that answers mmap with $action"
  expect_eq "in-process, $action: the program's output" "open $WORK/real.txt = real" "$OUT"
  [[ $ERR =~ ^redirect:\ pid\ [0-9]+:\ (.*)$ ]] || fail "$action: no notice: '$ERR'"
  expect_eq "$action: one notice" "$TRACEES/fsops-static runs unredirected: static program, and \
the seccomp filter the program installed may refuse the mmap the launcher loads it with" \
    "${BASH_REMATCH[1]}"
done

# A dynamic program exec'd under a filter that refuses the mmap of our private stack still runs:
# its rewritten opens run unredirected and say so (it used to end with exit 125 when the
# runtime could not arm the stack at its start).
short_long_rules sl.toml
rd --backend inproc --rules sl.toml "$TRACEES/no_scratch_mapping" /redirect-virtual/short \
  /redirect-virtual/long
expect_ok "in-process, a filter that refuses the private stack's mmap"
expect_eq "in-process, no private stack: unredirected" "short = ENOENT
long = ENOENT" "$OUT"
[[ $ERR == *"no private stack for a thread"*"syscall 257 runs unredirected"* ]] ||
  fail "no notice of the unredirected opens: $ERR"
echo PASS
