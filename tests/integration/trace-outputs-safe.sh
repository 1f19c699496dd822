# No output of redirect destroys a rule file. A run's --log (-o) naming a --rules file is
# refused; trace's -o never names a --rules file and replaces an existing file only with
# --force; `trace --rules a.toml --suggest ROOT -o all.toml` writes a.toml's rules and the new
# ones as one file that lints clean and works as written.
source "$(dirname "$0")/lib/common.bash"

app=redirect-outputs-test-$$-$RANDOM
[[ ! -e /opt/$app ]] || skip "/opt/$app exists on this host"
mkdir -p "bundle/opt/$app" real
echo "config" >"bundle/opt/$app/app.conf"
echo "data" >real/data.txt
cat >a.toml <<TOML
version = 1
# hand-edited
[[rule]]
name = "data"
syscalls = ["openat"]
match = '^/redirect-virtual/data\.txt$'
replace = '$WORK/real/data.txt'
TOML
cp a.toml a.orig

rd -r a.toml -o a.toml cat /redirect-virtual/data.txt
expect_status "a run logging to its rule file" 125
[[ $ERR == *"--log a.toml: that is the rule file a.toml given with --rules; refusing to overwrite it"* ]] ||
  fail "no clear refusal: $ERR"
cmp -s a.toml a.orig || fail "the run's -o changed the rule file"
rd -r a.toml -o "./a.toml" cat /redirect-virtual/data.txt
expect_status "the same file spelt differently" 125

rd trace --rules a.toml --suggest bundle -o a.toml -- cat /redirect-virtual/data.txt
expect_status "trace -o naming its --rules file" 125
[[ $ERR == *"-o a.toml: that is the rule file a.toml given with --rules; it is never overwritten"* ]] ||
  fail "no clear refusal: $ERR"
rd trace --rules a.toml --suggest bundle -o a.toml --force -- cat /redirect-virtual/data.txt
expect_status "trace -o --force naming its --rules file" 125
rd trace --rules a.toml --report a.toml -- cat /redirect-virtual/data.txt
expect_status "trace --report naming its --rules file" 125
cmp -s a.toml a.orig || fail "trace changed the rule file"

echo "mine" >taken.toml
rd trace --suggest bundle -o taken.toml -- cat "/opt/$app/app.conf"
expect_status "trace -o naming an existing file" 125
[[ $ERR == *"-o taken.toml: the file exists; --force replaces it"* ]] || fail "no clear refusal: $ERR"
expect_eq "the existing file is untouched" "mine" "$(cat taken.toml)"
rd trace --suggest bundle -o taken.toml --force -- cat "/opt/$app/app.conf"
expect_status "trace -o --force" 1
grep -q "^\[\[rule\]\]" taken.toml || fail "--force did not write the rules: $(cat taken.toml)"

# The loop: the given rules and the new ones, one file.
rd trace --rules a.toml --suggest bundle -o all.toml -- \
  sh -c "cat /redirect-virtual/data.txt /opt/$app/app.conf"
expect_status "the program fails at the bundle's file" 1
[[ $ERR == *"1 suggested rule written to all.toml, after the --rules files' rules"* ]] || fail "$ERR"
expect_eq "one version line" 1 "$(grep -c '^version' all.toml)"
grep -q "# hand-edited" all.toml || fail "the given rules are not in all.toml: $(cat all.toml)"
run env -u SNAP "$REDIRECT" lint --strict all.toml
expect_ok "lint --strict on the combined file"
run env -u SNAP "$REDIRECT" --rules all.toml sh -c "cat /redirect-virtual/data.txt /opt/$app/app.conf"
expect_ok "the program under the combined file"
expect_eq "both files found" $'data\nconfig' "$OUT"
echo PASS
