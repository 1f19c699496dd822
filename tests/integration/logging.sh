# Output options: redirect prints nothing of its own unless asked; --log FILE writes one line per
# decision to FILE (syscall, old -> new, rule name), --log - to stderr only (stdout stays the
# program's); --stats reports on stderr only; --dry-run decides and logs but changes nothing
# (not a rewrite, not a deny).
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
name = "no-secret"
syscalls = ["%file"]
match = 'secret'
action = "deny"
TOML

# line_with TEXT WORD...: some line of TEXT contains every WORD.
line_with() {
  local text=$1 line w ok
  shift
  while IFS= read -r line; do
    ok=1
    for w in "$@"; do [[ $line == *"$w"* ]] || ok=0; done
    ((ok)) && return 0
  done <<<"$text"
  return 1
}

rd --rules r.toml cat TWO.txt
expect_ok "plain run"
expect_eq "plain run: stdout" "This is ONE.txt" "$OUT"
expect_eq "plain run: stderr" "" "$ERR"

rd --log - --rules r.toml cat TWO.txt
expect_ok "--log -"
expect_eq "--log -: stdout is the program's alone" "This is ONE.txt" "$OUT"
line_with "$ERR" openat TWO.txt ONE.txt two-to-one ||
  fail "--log -: no line with openat, TWO.txt, ONE.txt and the rule name on stderr: $ERR"

rd --log - --rules r.toml cat secret.txt
expect_status "--log - with a deny" 1
line_with "$ERR" secret.txt no-secret || fail "--log -: the deny is not logged: $ERR"

rd --log log.txt --rules r.toml cat TWO.txt
expect_ok "--log FILE"
expect_eq "--log FILE: stdout" "This is ONE.txt" "$OUT"
expect_eq "--log FILE: stderr" "" "$ERR"
line_with "$(cat log.txt)" openat TWO.txt ONE.txt two-to-one ||
  fail "--log FILE: no decision line in log.txt: $(cat log.txt)"

rd --dry-run --log dry.txt --rules r.toml cat TWO.txt secret.txt
expect_ok "--dry-run"
expect_eq "--dry-run changes nothing" "This is TWO.txt
secret" "$OUT"
line_with "$(cat dry.txt)" TWO.txt ONE.txt two-to-one ||
  fail "--dry-run: the rewrite it would make is not logged: $(cat dry.txt)"
line_with "$(cat dry.txt)" secret.txt no-secret ||
  fail "--dry-run: the deny it would make is not logged: $(cat dry.txt)"

rd --stats --rules r.toml cat TWO.txt
expect_ok "--stats"
expect_eq "--stats: stdout is the program's alone" "This is ONE.txt" "$OUT"
line_with "$ERR" two-to-one || fail "--stats: no count for rule two-to-one on stderr: $ERR"

# A rule without a name is "rule N" in the log and the stats, as in lint and explain.
cat >unnamed.toml <<'TOML'
[[rule]]
syscalls = ["%file"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'
TOML
rd --stats --log - --rules unnamed.toml cat TWO.txt
expect_ok "unnamed rule"
line_with "$ERR" TWO.txt ONE.txt " rule 1" || fail "--log: unnamed rule not called 'rule 1': $ERR"
line_with "$ERR" "redirect: stats: rule 1 (unnamed.toml:1):" ||
  fail "--stats: unnamed rule not called 'rule 1': $ERR"
[[ $ERR != *"'rule 1'"* ]] || fail "an unnamed rule is quoted as a name: $ERR"
echo PASS
