# `redirect trace --format json`: one JSON object per path call, one per line, with the fields
# docs/trace.md documents: the exec of the program itself (access exec, result 0), a read that
# worked, one that failed with its errno, and a rewrite with its rule and new path.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed (it checks the JSON)"

seed_files
seed_rules r.toml
rd trace --rules r.toml --format json --report calls.jsonl -- cat ONE.txt TWO.txt missing.txt
expect_status "cat of a missing file" 1
expect_eq "stdout is cat's" "This is ONE.txt
This is ONE.txt" "$OUT"
[[ -s calls.jsonl ]] || fail "no events written"

python3 - calls.jsonl "$WORK" <<'PY' || fail "the JSON events are not as documented"
import json, sys
path, work = sys.argv[1], sys.argv[2]
events = [json.loads(line) for line in open(path)]  # one object per line, or an exception
fields = ["pid", "program", "syscall", "access", "paths", "result", "errno", "dry_run"]
arg_fields = ["arg", "passed", "path", "action", "rule"]
for e in events:
    assert all(f in e for f in fields), ("missing field", e)
    assert e["access"] in ("read", "write", "exec", "metadata"), e
    for a in e["paths"]:
        assert all(f in a for f in arg_fields), ("missing path field", e)

def find(pred, what):
    hits = [e for e in events if pred(e)]
    assert hits, "no event: " + what
    return hits[0]

def named(e, name):
    return any((a["path"] or "").endswith("/" + name) for a in e["paths"])

ex = find(lambda e: e["syscall"] == "execve" and e["result"] == 0, "execve of cat")
assert ex["access"] == "exec" and ex["errno"] is None, ex
ok = find(lambda e: e["syscall"] == "openat" and named(e, "ONE.txt") and e["paths"][0]["rule"] is None,
          "openat of ONE.txt")
assert ok["result"] >= 0 and ok["access"] == "read" and ok["program"] == "cat", ok
assert ok["paths"][0]["path"] == work + "/ONE.txt", ok
assert ok["flags"].startswith("O_RDONLY"), ok
bad = find(lambda e: e["syscall"] == "openat" and named(e, "missing.txt"), "openat of missing.txt")
assert bad["result"] == -1 and bad["errno"] == "ENOENT", bad
rw = find(lambda e: e["syscall"] == "openat" and named(e, "TWO.txt"), "openat of TWO.txt")
a = rw["paths"][0]
assert a["action"] == "rewrite" and a["rule"] == "'two-is-one'" and a["new"].endswith("ONE.txt"), rw
assert rw["result"] >= 0, rw
PY
echo PASS
