# A rule whose pattern can only match a relative string, in a file whose rules see the absolute
# path a relative name reaches (the default), never matches a path: `lint --strict` fails on it
# and a run warns once, naming the rule and the two fixes (paths = "as-passed", or a pattern
# such as '^(.*/)?TWO\.txt$'). Neither fix, nor a pattern PCRE2 cannot judge, is warned about.
source "$(dirname "$0")/lib/common.bash"
seed_files
cat >r.toml <<'TOML'
[[rule]]
name = "one"
syscalls = ["%file"]
match = '^TWO\.txt$'
replace = 'ONE.txt'
TOML

rd lint --strict r.toml
expect_status "lint --strict of a relative pattern" 1
[[ $OUT$ERR == *"r.toml:4:9: warning: rule 'one' can only match a relative string"*'paths = "as-passed"'*"'^(.*/)?TWO\\.txt\$'"* ]] ||
  fail "lint --strict does not name the rule and the fixes: $OUT$ERR"
rd lint r.toml
expect_ok "lint without --strict"

rd --rules r.toml -- cat TWO.txt
expect_ok "a run of the relative rule"
expect_eq "the rule does not match (as documented)" "This is TWO.txt" "$OUT"
[[ $(grep -c "can only match a relative string" <<<"$ERR") == 1 ]] ||
  fail "the run does not warn exactly once: $ERR"

# The two fixes, and rules it cannot judge: no warning.
{ echo 'paths = "as-passed"'; cat r.toml; } >as-passed.toml
sed "s|'^TWO\\\\.txt\$'|'^(.*/)?TWO\\\\.txt\$'|" r.toml >any-dir.toml
grep -qF "'^(.*/)?TWO\.txt\$'" any-dir.toml || fail "sed did not make any-dir.toml: $(cat any-dir.toml)"
for f in as-passed any-dir; do
  rd lint --strict $f.toml
  expect_ok "lint --strict $f.toml"
  rd --rules $f.toml -- cat TWO.txt
  expect_eq "$f.toml rewrites" "This is ONE.txt" "$OUT"
  [[ $ERR != *"relative string"* ]] || fail "$f.toml is warned about: $ERR"
done
echo "view-relative-pattern: ok"
