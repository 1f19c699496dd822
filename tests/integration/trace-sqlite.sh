# The packager's first puzzle: a rule for an SQLite database file only. sqlite3 then fails
# with "unable to open database file" because its journal, beside the database's original
# path, cannot be created; --log shows only the rewrites that worked. `redirect trace` names
# the journal path that failed, with its errno, in the summary's first section.
source "$(dirname "$0")/lib/common.bash"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed (scripts/install-deps installs it)"

mkdir bundle
sqlite3 bundle/app.db 'create table t(x); insert into t values (1);'
cat >db.toml <<TOML
[[rule]]
name = "database"
syscalls = ["%file"]
match = '^$WORK/host/app\.db\$'
replace = '$WORK/bundle/app.db'
TOML

rd --rules db.toml sqlite3 "$WORK/host/app.db" 'insert into t values (2);'
plain=$STATUS
[[ $plain != 0 ]] || fail "sqlite3 with the database rule alone worked; the test needs its failure"

rd trace --rules db.toml --report report.txt -- sqlite3 "$WORK/host/app.db" 'insert into t values (2);'
expect_status "trace passes sqlite3's status" "$plain"
failed=$(sed -n '/^1\. Paths that failed/,/^2\. /p' report.txt)
[[ $failed == *"$WORK/host ("* ]] || fail "the journal's directory is not among the failures: $(cat report.txt)"
[[ $failed == *'"app.db-journal" ('*ENOENT* ]] ||
  fail "the journal path and its ENOENT are not named: $(cat report.txt)"
[[ $failed == *"openat(\"$WORK/host/app.db-journal\""* ]] ||
  fail "no example call for the journal: $(cat report.txt)"
echo PASS
