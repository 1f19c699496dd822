# --log lines name the program (its comm, in parentheses, after the pid); --log FILE starts
# FILE afresh (truncates it) and --log-append adds to it.
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules r.toml

rd --log - --rules r.toml cat TWO.txt
expect_ok "--log -"
grep -qE '^[0-9:.]+ [0-9]+ \(cat\) openat\[1\] rewrite "TWO.txt"' <<<"$ERR" ||
  fail "the log line does not name the program: $ERR"
# A program started by another is named for itself. Two copies of a tracee, not cat and head:
# busybox's sh (the test VMs) runs its applets in itself or as /proc/self/exe ("exe").
cp "$TRACEES/fsops" first
cp "$TRACEES/fsops" second
rd --log - --rules r.toml sh -c './first open TWO.txt; ./second open TWO.txt'
expect_ok "--log - of two programs"
grep -qE '^[0-9:.]+ [0-9]+ \(first\) openat\[1\]' <<<"$ERR" || fail "no (first) line: $ERR"
grep -qE '^[0-9:.]+ [0-9]+ \(second\) openat\[1\]' <<<"$ERR" || fail "no (second) line: $ERR"

echo "an old line" >log.txt
rd --log log.txt --rules r.toml cat TWO.txt
expect_ok "--log FILE"
expect_eq "--log FILE truncates it: lines" 1 "$(wc -l <log.txt)"
grep -q "an old line" log.txt && fail "--log FILE kept the old content"
rd --log log.txt --log-append --rules r.toml cat TWO.txt
expect_ok "--log FILE --log-append"
expect_eq "--log-append adds to it: lines" 2 "$(wc -l <log.txt)"

echo PASS
