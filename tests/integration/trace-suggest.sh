# `redirect trace --suggest ROOT` end to end: a Python script reads a config file and a data
# file in a sub-directory at hard-coded absolute paths that exist only in a bundle. It fails
# at the config; the suggested rule file maps the config's directory (and so the data beside
# it) into the bundle, passes `lint --strict`, and, used as written, makes the script print both.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

app=redirect-suggest-test-$$-$RANDOM
[[ ! -e /opt/$app ]] || skip "/opt/$app exists on this host"
mkdir -p "bundle/opt/$app/data"
echo "config: colour=blue" >"bundle/opt/$app/app.conf"
echo "data: 42 items" >"bundle/opt/$app/data/items.txt"
cat >app.py <<PY
print(open("/opt/$app/app.conf").read(), end="")
print(open("/opt/$app/data/items.txt").read(), end="")
PY

rd trace --suggest bundle -o app.toml -- python3 app.py
expect_status "the script fails without rules" 1
[[ -s app.toml ]] || fail "no rule file written: $ERR"
[[ $ERR == *"1 suggested rule written to app.toml"* ]] || fail "trace does not say where: $ERR"

run env -u SNAP "$REDIRECT" lint --strict app.toml
expect_ok "lint --strict on the suggested file"

run env -u SNAP "$REDIRECT" --rules app.toml python3 app.py
expect_ok "the script with the suggested rules"
expect_eq "both files read from the bundle" "config: colour=blue
data: 42 items" "$OUT"
echo PASS
