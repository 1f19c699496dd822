# A relative path whose directory cannot be named, or whose dirfd is no directory, is treated
# and logged under --backend inproc as under ptrace: a pipe or a closed dirfd is said with the
# same words (rules/unnamed_directory.h), a dirfd on a regular file is only looked at once a
# rule would act on the path (no warning when none does), and a negative dirfd other than
# AT_FDCWD is not taken for the working directory: the kernel answers it EBADF, not a rewrite.
# The program is relative-dirfd's; the log lines must be the same, time and pid aside.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

dirfd_ops_tree
app_rules r.toml

rd --backend ptrace --log ptrace.log --rules r.toml "$TRACEES/dirfd_ops" "$WORK/host"
expect_ok "dirfd_ops under ptrace"
ptrace_out=$OUT
rm -rf snap/new snap/b snap/cwd-made
rd --backend inproc --log inproc.log --rules r.toml "$TRACEES/dirfd_ops" "$WORK/host"
expect_ok "dirfd_ops in-process"
expect_eq "the program's output" "$ptrace_out" "$OUT"
grep -qF 'openat(negative fd -5, app/child/file) = EBADF' <<<"$OUT" ||
  fail "a negative dirfd was taken for the working directory: $OUT"
expect_eq "the log lines (time and pid aside)" "$(log_lines ptrace.log)" "$(log_lines inproc.log)"
echo PASS
