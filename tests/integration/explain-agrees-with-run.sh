# `redirect explain` and a run must decide alike: both take the path in the program's view with
# the same step (rules/view_resolver.h) and ask the same Matcher. For each case of a table (a
# relative name, a dirfd, an absolute path, a relative AF_UNIX socket address, a deny, a rewrite
# too long for PATH_MAX and one too long for sun_path, no rule, and the program's view: ".."
# after a link inside the bundle, an absolute link inside the bundle, a working directory inside
# the bundle), a Python program makes the call under `redirect --log -` and `explain
# --cwd/--dirfd-dir` is asked about the same string; their verdicts (action, rule, new string
# or errno) must be equal.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

mkdir -p host/data/sub host/run host/secret host/long bundle/data/sub bundle/run
echo a >bundle/data/a.txt
echo b >bundle/data/sub/b.txt
mkdir -p bundle/data/sub/deeper bundle/private
echo n >bundle/data/notes.txt
# Links as a package makes them: absolute, in the program's view of the bundle.
ln -s "$PWD/host/data/sub/deeper" bundle/data/hop
ln -s "$PWD/host/data/sub/b.txt" bundle/data/current
W=$PWD
long_name=$(printf 'y%.0s' {1..120})
cat >r.toml <<TOML
[[rule]]
name = "secret"
syscalls = ["openat"]
match = '^$W/host/secret(/.*)?\$'
action = "deny"
errno = "EPERM"

[[rule]]
name = "data"
syscalls = ["openat"]
match = '^$W/host/data(/.*)?\$'
replace = '$W/bundle/data\$1'

[[rule]]
name = "bundle-notes"
syscalls = ["openat"]
match = '^$W/bundle/data/notes\.txt\$'
action = "deny"
errno = "EACCES"

[[rule]]
name = "long"
syscalls = ["openat"]
match = '^$W/host/long/(.*)\$'
replace = '$W/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1/\$1'

[[rule]]
name = "socket-too-long"
syscalls = ["bind"]
match = '^$W/host/run/long\.sock\$'
replace = '$W/bundle/run/$long_name.sock'

[[rule]]
name = "run"
syscalls = ["bind"]
match = '^$W/host/run(/.*)?\$'
replace = '$W/bundle/run\$1'
TOML

# explain's line -> "ACTION RULE NEW-or-ERRNO"; --log's line -> the same.
verdict_of_explain() {
  sed -nE \
    -e "s/.*: rewrite by rule '([^']*)' \([^)]*\): the result is longer than .*, the call fails with (E[A-Z]+).*/unwritable \1 \2/p" \
    -e "s/.*: rewrite by rule '([^']*)' \([^)]*\): the call fails with (E[A-Z]+).*/unwritable \1 \2/p" \
    -e "s/.*: rewrite by rule '([^']*)' \([^)]*\) -> \".*\": the program's string reaches it already, left as passed$/rewrite \1 same/p" \
    -e "s/.*: rewrite by rule '([^']*)' \([^)]*\) -> \"(.*)\"$/rewrite \1 \2/p" \
    -e "s/.*: deny by rule '([^']*)' \([^)]*\): the call fails with (E[A-Z]+).*/deny \1 \2/p" \
    -e "s/.*: no rule matches.*/none/p"
}
verdict_of_log() {
  local line
  line=$(grep -E "^[0-9:.]+ [0-9]+ \(.*\) $1\[" <<<"$2" | tail -1 || true)
  [[ -z $line ]] && { echo none; return; }
  sed -nE \
    -e "s/.* rewrite \"[^\"]*\"( \([^)]*\))? -> the same path: left as passed rule '([^']*)'.*/rewrite \2 same/p" \
    -e "s/.* rewrite \"[^\"]*\"( \([^)]*\))? -> \"(.*)\" rule '([^']*)'.*/rewrite \3 \2/p" \
    -e "s/.* rewrite \"[^\"]*\"( \([^)]*\))? -> (E[A-Z]+) rule '([^']*)'.*/unwritable \3 \2/p" \
    -e "s/.* deny \"[^\"]*\"( \([^)]*\))? (E[A-Z]+) rule '([^']*)'.*/deny \3 \2/p" <<<"$line"
}

check_case() {  # check_case CASE SYSCALL STRING DIR [DIRFD-DIR]
  local case=$1 syscall=$2 string=$3 dir=$4 dirfd=${5:-$4}
  rd explain --rules r.toml --cwd "$dir" --dirfd-dir "$dirfd" "$syscall" "$string"
  expect_ok "explain $case"
  local said
  said=$(verdict_of_explain <<<"$OUT")
  rd --log - --rules r.toml python3 "$SRCDIR/tests/integration/py/explain_run_cases.py" "$case" "$W"
  local did
  did=$(verdict_of_log "$syscall" "$ERR")
  [[ -n $said ]] || fail "$case: explain's answer not understood: $OUT"
  expect_eq "$case: explain and the run decide alike" "$said" "$did"
}

check_case relative openat a.txt "$W/host/data"
check_case dirfd openat data/sub/b.txt / "$W/host"
check_case absolute openat "$W/host/data/a.txt" /
check_case socket bind app.sock "$W/host/run"
check_case socket-too-long bind long.sock "$W/host/run"
check_case deny openat secret/key "$W/host"
check_case too-long openat "$(printf 'x%.0s' {1..200})" "$W/host/long"
check_case no-rule openat other.txt "$W/host"
check_case dotdot-after-link openat data/hop/../a.txt "$W/host"
check_case absolute-link openat "$W/host/data/current" /
check_case cwd-in-bundle openat notes.txt "$W/bundle/data"
# The table must really hold each kind of verdict, or "alike" proves little.
rd explain --rules r.toml --cwd "$W/host/run" bind app.sock
[[ $OUT == *"rewrite by rule 'run'"* ]] || fail "the socket case is not a rewrite: $OUT"
echo PASS
