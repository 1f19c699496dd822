# `redirect trace --backend inproc --format json`: the same JSON lines as a ptrace trace of the
# same program (a shell that runs cat, under a rule that rewrites one of its opens, a failed
# open, a write and a denied call), equal line for line once the pids are set aside: the
# program's own exec first, every path call with its flags, paths, rule and result.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

seed_files
cat >r.toml <<'TOML'
[[rule]]
name = "one"
syscalls = ["openat"]
match = '^(.*/)?TWO\.txt$'
replace = '${1}ONE.txt'

[[rule]]
name = "no-unlink"
syscalls = ["unlinkat"]
match = '^.*/keep$'
action = "deny"
TOML
touch keep
script='cat TWO.txt missing.txt; echo x >out.txt; rm -f "$PWD/keep"; exit 3'
pids() { sed -E 's/"pid":[0-9]+/"pid":N/' "$1"; }
for backend in ptrace inproc; do
  rd trace --backend $backend --rules r.toml --format json --report $backend.jsonl -- sh -c "$script"
  expect_status "the script's own status ($backend)" 3
  [[ -s $backend.jsonl ]] || fail "--backend $backend wrote no events: $ERR"
done
[[ -e keep ]] || fail "the denied unlink ran"
expect_eq "the JSON lines, in-process as under ptrace" "$(pids ptrace.jsonl)" "$(pids inproc.jsonl)"
[[ $(head -1 inproc.jsonl) == *'"syscall":"execve","access":"exec"'*'"result":0'* ]] ||
  fail "the program's exec is not the first event: $(head -1 inproc.jsonl)"
grep -q '"action":"rewrite","rule":"'"'one'"'"' inproc.jsonl || fail "no rewrite in the events"
grep -q '"action":"deny","rule":"'"'no-unlink'"'",.*"errno":"EACCES"' inproc.jsonl ||
  fail "no deny in the events"
echo PASS
