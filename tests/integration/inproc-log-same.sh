# --log, --log-append, --stats and --dry-run under --backend inproc say what a ptrace run says:
# the same program with the same rules gives the same log lines, byte for byte but for the time
# and the pid at the start of each line (the decision records are formatted by the ptrace
# run's own DecisionLog), and --stats counts the same calls and the same hits per rule. The
# program covers a rewrite, a rewrite the kernel then fails, a deny, an allow, a rewritten
# exec (its line ends with its result, which comes from the program it started), a relative
# path, and a whole-call rule (a deny of io_uring_setup, where the kernel has io_uring).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

mkdir -p tree bin
echo "through the rule" >tree/f
echo "secret" >secret.txt
echo "allowed" >tree/open.txt
cat >r.toml <<TOML
[[rule]]
name = "open"
syscalls = ["openat"]
match = '^/redirect-virtual/open\.txt\$'
action = "allow"

[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/(.*)\$'
replace = '$WORK/tree/\$1'

[[rule]]
name = "bin"
syscalls = ["execve"]
match = '^/redirect-bin/(.*)\$'
replace = '/bin/\$1'

[[rule]]
name = "no-secret"
syscalls = ["openat"]
match = 'secret'
action = "deny"
errno = "EPERM"
TOML
# The shell makes every call the lines are about; cat does the opens, so each line names it.
script='cat /redirect-virtual/f; cat /redirect-virtual/missing; cat secret.txt;
cat /redirect-virtual/../tree/open.txt; cd tree && cat ../secret.txt;
exec /redirect-bin/cat /redirect-virtual/open.txt'
prog=(sh -c "$script")

# The --stats lines both backends have: syscalls and rules.
common_stats() { grep -E '^redirect: stats: (syscalls|rule) ' <<<"$1"; }

rd --backend ptrace --log ptrace.log --stats --rules r.toml "${prog[@]}"
ptrace_status=$STATUS ptrace_out=$OUT ptrace_err=$ERR
rd --backend inproc --log inproc.log --stats --rules r.toml "${prog[@]}"
expect_eq "the exit status" "$ptrace_status" "$STATUS"
expect_eq "the program's output" "$ptrace_out" "$OUT"
[[ -s inproc.log ]] || fail "--backend inproc --log wrote nothing: $ERR"
expect_eq "the log lines (time and pid aside)" "$(log_lines ptrace.log)" "$(log_lines inproc.log)"
grep -q 'execve\[0\] rewrite "/redirect-bin/cat" -> "/bin/cat" rule .bin. = 0$' inproc.log ||
  fail "the rewritten exec's line does not end with its result: $(cat inproc.log)"
expect_eq "--stats: syscalls and rules" "$(common_stats "$ptrace_err")" "$(common_stats "$ERR")"
grep -q '^redirect: stats: in-process: [1-9][0-9]* decision records received, 0 lost' <<<"$ERR" ||
  fail "--stats: no in-process line: $ERR"

# --log - (stderr) and --log-append: the same lines again, after what the file held.
rd --backend inproc --log - --rules r.toml "${prog[@]}"
# cat writes "cat: " and its message apart (glibc's error()), so a line of ours may start after
# that prefix: each line is taken from its time on.
expect_eq "--log -: the lines on stderr (among cat's messages)" "$(log_lines ptrace.log)" \
  "$(grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+ [0-9]+ \(.*' <<<"$ERR" | log_lines -)"
cp inproc.log appended.log
rd --backend inproc --log appended.log --log-append --rules r.toml "${prog[@]}"
expect_eq "--log-append keeps what the file held" "$(log_lines ptrace.log; log_lines ptrace.log)" \
  "$(log_lines appended.log)"

# --dry-run: decided and logged, nothing changed, as under ptrace.
rd --backend ptrace --dry-run --log ptrace-dry.log --rules r.toml cat secret.txt
ptrace_out=$OUT ptrace_err=$ERR
rd --backend inproc --dry-run --log inproc-dry.log --rules r.toml cat secret.txt
expect_ok "--dry-run: the denied file is read"
expect_eq "--dry-run: the program's output" "$ptrace_out" "$OUT"
expect_eq "--dry-run: its notice" "$ptrace_err" "$ERR"
expect_eq "--dry-run: the log lines" "$(log_lines ptrace-dry.log)" "$(log_lines inproc-dry.log)"
grep -q '(dry run)$' inproc-dry.log || fail "--dry-run: no dry-run line: $(cat inproc-dry.log)"

# A whole-call rule: its line ends with the rule's errno.
if io_uring_works; then
  write_io_uring_deny_rules uring.toml
  rd --backend ptrace --log ptrace-uring.log --stats --rules uring.toml "$TRACEES/harden_io_uring"
  ptrace_err=$ERR
  rd --backend inproc --log inproc-uring.log --stats --rules uring.toml "$TRACEES/harden_io_uring"
  expect_eq "io_uring_setup denied" "io_uring_setup = ENOSYS" "$OUT"
  expect_eq "a whole-call rule's log line" "$(log_lines ptrace-uring.log)" \
    "$(log_lines inproc-uring.log)"
  expect_eq "a whole-call rule's --stats" "$(common_stats "$ptrace_err")" "$(common_stats "$ERR")"
fi
echo PASS
