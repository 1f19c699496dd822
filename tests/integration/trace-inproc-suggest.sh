# `redirect trace --backend inproc --suggest`: a real program (python3 importing a module the
# bundle holds in /etc/APP, run by a shell script that also reads /etc/APP/APP.conf) traced without
# ptrace suggests the same rule file as a ptrace trace of the same program, byte for byte but
# for the thread ids in the evidence comments ("cat[4242]"); the summary (--report) is the same
# too. The suggested file, used as written, then makes the program work in-process.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
python=/usr/bin/python3
[[ -x $python ]] || skip "$python is not installed"

app=redirect-tis-$$-$RANDOM
[[ ! -e /etc/$app ]] || skip "/etc/$app exists on this host"
mkdir -p "bundle/etc/$app"
echo "colour=blue" >"bundle/etc/$app/$app.conf"
echo "VALUE = 42" >"bundle/etc/$app/bundled_mod.py"
cat >app.sh <<SH
cat /etc/$app/$app.conf && PYTHONPATH=/etc/$app $python -S -c 'import bundled_mod; print(bundled_mod.VALUE)'
SH

tids() { sed -E 's/\[[0-9]+\]/[TID]/g' "$1"; }
for backend in ptrace inproc; do
  rd trace --backend $backend --suggest bundle -o $backend.toml --report $backend.txt -- sh app.sh
  expect_status "the script fails without rules ($backend)" 1
  [[ -s $backend.toml ]] || fail "--backend $backend wrote no rule file: $ERR"
done
expect_eq "the suggested rule file, in-process as under ptrace" "$(tids ptrace.toml)" "$(tids inproc.toml)"
expect_eq "the summary, in-process as under ptrace" "$(tids ptrace.txt)" "$(tids inproc.txt)"
grep -q "^match = '^/etc/$app(/.\*)?\$'" inproc.toml || fail "no rule for /etc/$app: $(cat inproc.toml)"

run env -u SNAP "$REDIRECT" lint --strict inproc.toml
expect_ok "lint --strict on the in-process suggestion"
run env -u SNAP "$REDIRECT" --backend inproc --rules inproc.toml sh app.sh
expect_ok "the script with the suggested rules"
expect_eq "both read from the bundle" "colour=blue
42" "$OUT"
echo PASS
