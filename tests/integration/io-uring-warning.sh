# io_uring goes around syscall-entry stops: a file opened through a ring never enters openat.
# - With --log, a program calling io_uring_setup under rules that rewrite paths gets a warning
#   line in the log naming io_uring_setup (the rules do not see what it submits); without it,
#   on stderr; either way once per process, however many rings it sets up.
# - The cookbook rule of docs/rules.md denies io_uring_setup with ENOSYS so that programs
#   (liburing, libuv...) fall back to plain syscalls: the call must fail with exactly ENOSYS.
# Skips where io_uring_setup fails natively (kernel.io_uring_disabled, old kernels, seccomp).
source "$(dirname "$0")/lib/common.bash"

io_uring_works || skip "io_uring_setup fails natively: $OUT"

cat >paths.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/(.*)$'
replace = '$WORK/\$1'
TOML
write_io_uring_deny_rules deny.toml
failures=()

rd --rules deny.toml "$TRACEES/harden_io_uring"
expect_ok "io_uring_setup under the deny rule"
[[ $OUT == "io_uring_setup = ENOSYS" ]] ||
  failures+=("the deny rule on io_uring_setup is not applied: $OUT")

rd --log log --rules paths.toml "$TRACEES/harden_io_uring"
expect_ok "io_uring_setup under path rules"
expect_eq "io_uring_setup itself is not changed" "io_uring_setup = ok" "$OUT"
grep -qE 'io_uring_setup.*(warning|error)' log 2>/dev/null ||
  failures+=("no warning about io_uring_setup in --log: $(cat log 2>/dev/null)")

# Three rings in one process: the warning reaches stderr once without --log, and once (not
# twice: log and notice are the same stream) with --log -.
rd --rules paths.toml "$TRACEES/harden_io_uring" 3
expect_eq "three rings" "io_uring_setup = ok" "$OUT"
n=$(grep -c "io_uring" <<<"$ERR" || true)
((n == 1)) || failures+=("without --log: $n io_uring lines on stderr, expected 1: $ERR")
rd --log - --rules paths.toml "$TRACEES/harden_io_uring" 3
n=$(grep -c "io_uring" <<<"$ERR" || true)
((n == 1)) || failures+=("with --log -: $n io_uring lines on stderr, expected 1: $ERR")

if ((${#failures[@]})); then
  printf '  %s\n' "${failures[@]}" >&2
  fail "${#failures[@]} io_uring check(s) failed"
fi
echo PASS
