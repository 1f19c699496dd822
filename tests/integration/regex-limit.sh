# A pattern that PCRE2 gives up on (its match limit, set explicitly: docs/rules.md) decides
# nothing, so the call fails closed: a deny rule denies with its errno, a rewrite rule fails the
# call with EACCES; never "no match", which would let a deny rule's path through. Each such
# failure has a --log line saying why and a --stats count, and `explain` says the same.
# '^/d/(a+)+b' backtracks exponentially on "aaa...c"; the second branch matches that string.
source "$(dirname "$0")/lib/common.bash"

mkdir d
a30=$(printf 'a%.0s' {1..30})
echo "secret" >"d/${a30}c"
wre=${WORK//./\\.}  # $WORK as a pattern: the dot of mktemp's name escaped
cat >deny.toml <<TOML
[[rule]]
name = "greedy"
syscalls = ["openat"]
match = '^$wre/d/(a+)+b|^$wre/d/a+c\$'
action = "deny"
errno = "EPERM"
TOML
cat >rewrite.toml <<TOML
[[rule]]
name = "greedy"
syscalls = ["openat"]
match = '^$wre/d/(a+)+b|^$wre/d/a+c\$'
replace = '$WORK/elsewhere'
TOML

# Sanity: the second branch matches the path, and a short path is decided normally.
rd explain --rules deny.toml openat "$WORK/d/aaac"
expect_ok "explain, short path"
expect_eq "explain, short path" "openat arg 1 \"$WORK/d/aaac\": deny by rule 'greedy' (deny.toml:1): the call fails with EPERM (Operation not permitted)" "$OUT"

rd explain --rules deny.toml openat "$WORK/d/${a30}c"
expect_ok "explain, the path the pattern gives up on"
expect_eq "explain says the pattern gave up" "openat arg 1 \"$WORK/d/${a30}c\": rule 'greedy' (deny.toml:1) gave up on this string (match limit exceeded): the call fails closed with EPERM (Operation not permitted)" "$OUT"

rd --log - --stats --rules deny.toml cat "d/${a30}c"
expect_status "a deny rule that gives up denies" 1
[[ $OUT != secret ]] || fail "the file was read: the deny rule failed open"
grep -qE "openat\[1\] deny \"d/${a30}c\" \($WORK/d/${a30}c\) EPERM \(the pattern gave up on it: match limit exceeded; failed closed\) rule 'greedy' = -1 EPERM" <<<"$ERR" ||
  fail "no log line of the failed-closed deny: $ERR"
grep -q "^redirect: stats: syscalls: 0 rewritten (0 then failed in the kernel), 1 failed (deny or error; 1 of them a pattern that gave up)" <<<"$ERR" ||
  fail "--stats does not count it: $ERR"
grep -q "Operation not permitted" <<<"$ERR" || fail "cat did not see EPERM: $ERR"

rd --log - --stats --rules rewrite.toml cat "d/${a30}c"
expect_status "a rewrite rule that gives up fails the call" 1
[[ $OUT != secret ]] || fail "the file was read: the rewrite rule failed open"
grep -qE "openat\[1\] deny \"d/${a30}c\" \($WORK/d/${a30}c\) EACCES \(the pattern gave up on it: match limit exceeded; failed closed\) rule 'greedy' = -1 EACCES" <<<"$ERR" ||
  fail "no log line of the failed-closed rewrite: $ERR"
grep -q "1 failed (deny or error; 1 of them a pattern that gave up)" <<<"$ERR" || fail "--stats does not count it: $ERR"
rd explain --rules rewrite.toml openat "$WORK/d/${a30}c"
expect_eq "explain, rewrite rule" "openat arg 1 \"$WORK/d/${a30}c\": rule 'greedy' (rewrite.toml:1) gave up on this string (match limit exceeded): the call fails closed with EACCES (Permission denied)" "$OUT"

# lint warns about it, with the probe that shows it; --strict fails on it.
rd lint deny.toml
expect_ok "lint"
grep -qF "deny.toml:4:9: warning: rule 'greedy': its pattern gives up (match limit exceeded) on a 4095-byte path \"$WORK/d/\" followed by \"a\" repeated; a run fails such calls closed" <<<"$OUT$ERR" ||
  fail "lint does not warn about the pattern: $OUT$ERR"
rd lint --strict deny.toml
expect_status "lint --strict" 1
echo PASS
