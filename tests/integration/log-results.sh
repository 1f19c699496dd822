# --log ends each line of a call the rules changed with the kernel's result, strace-style: a
# rewrite that then fails shows its errno (the program's own message names the original path,
# so the log is the only place that says the new one was missing), and so does a deny.
# --stats counts the failed rewrites per rule (of those whose result an exit stop read:
# --two-stops); --dry-run says once that it changes nothing.
source "$(dirname "$0")/lib/common.bash"

seed_files
echo "secret" >secret.txt
cat >r.toml <<'TOML'
[[rule]]
name = "two-to-one"
syscalls = ["%file"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'

[[rule]]
name = "three-to-nowhere"
syscalls = ["%file"]
match = '^(.*/)?THREE\.txt$'
replace = '${1}missing/THREE.txt'

[[rule]]
name = "no-secret"
syscalls = ["%file"]
match = 'secret'
action = "deny"
TOML

# line_matching REGEX TEXT: the first line of TEXT matching the extended REGEX, or fails.
line_matching() { grep -E -m1 -- "$1" <<<"$2" || fail "no line matches /$1/ in: $2"; }

rd --log - --rules r.toml cat TWO.txt
expect_ok "a rewrite that works"
line_matching 'openat\[1\] rewrite "TWO.txt" .*-> ".*ONE.txt" rule .two-to-one. = [0-9]+$' "$ERR"

echo "three" >THREE.txt
rd --log - --rules r.toml cat THREE.txt
expect_status "a rewrite to a missing file" 1
line_matching 'rewrite "THREE.txt" .*missing/THREE.txt" rule .three-to-nowhere. = -1 ENOENT \(No such file or directory\)$' "$ERR"

rd --log - --rules r.toml cat secret.txt
expect_status "a deny" 1
line_matching 'deny "secret.txt" .*EACCES rule .no-secret. = -1 EACCES \(Permission denied\)$' "$ERR"

# A one-stop rewrite has no exit stop: --stats reads its result from its slot at the thread's
# next stop, so a failed one is counted as with --two-stops (or --log).
if [[ $(uname -m) == x86_64 ]]; then  # one-stop rewrites exist on x86_64 only
  rd --stats --rules r.toml cat THREE.txt TWO.txt
  expect_status "--stats with a failed one-stop rewrite" 1
  line_matching "^redirect: stats: rewrites: 2 in one stop \(0 results not seen\), 0 in two stops" "$ERR"
  line_matching "^redirect: stats: rule 'three-to-nowhere' \(r.toml:7\): 1 hits, 1 rewritten calls failed$" "$ERR"
  line_matching "^redirect: stats: syscalls: 2 rewritten \(1 then failed in the kernel\)" "$ERR"
fi
rd --stats --two-stops --rules r.toml cat THREE.txt TWO.txt
expect_status "--stats with a failed rewrite" 1
line_matching "^redirect: stats: rule 'three-to-nowhere' \(r.toml:7\): 1 hits, 1 rewritten calls failed$" "$ERR"
line_matching "^redirect: stats: rule 'two-to-one' \(r.toml:1\): 1 hits, 0 rewritten calls failed$" "$ERR"
line_matching "^redirect: stats: syscalls: 2 rewritten \(1 then failed in the kernel\)" "$ERR"

# A dry run without --log still says that the program ran against the original paths.
rd --dry-run --rules r.toml cat TWO.txt
expect_ok "--dry-run"
expect_eq "--dry-run: stdout" "This is TWO.txt" "$OUT"
[[ $(grep -c -- '--dry-run' <<<"$ERR") == 1 ]] || fail "--dry-run does not say once what it does: $ERR"
line_matching 'runs for real against the original paths' "$ERR"
echo PASS
