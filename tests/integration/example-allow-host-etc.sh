# examples/allow-host-etc.toml end to end: /etc is the snap's (reading, listing, a file the host
# has but the snap does not is missing), except the host files the allow rules name, which
# dynamic programs (glibc's NSS) and the program itself still read from the host.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

snap_tree app
mkdir -p "$SNAP/etc/app"
echo "colour = blue" >"$SNAP/etc/app/app.conf"
echo "snap's own /etc/issue" >"$SNAP/etc/issue"
rules=$(example_rules allow-host-etc)
[[ -f /etc/hosts && -f /etc/os-release ]] || skip "the host lacks /etc/hosts or /etc/os-release"

rd --rules "$rules" -- cat /etc/app/app.conf
expect_ok "cat /etc/app/app.conf"
expect_eq "the snap's configuration" "colour = blue" "$OUT"
rd --rules "$rules" -- cat /etc/issue
expect_ok "cat /etc/issue"
expect_eq "a file both have: the snap's" "snap's own /etc/issue" "$OUT"
rd --rules "$rules" -- ls /etc
expect_ok "ls /etc"
expect_eq "ls /etc lists \$SNAP/etc" $'app\nissue' "$OUT"
rd --rules "$rules" -- cat /etc/os-release
expect_status "a host file the snap does not ship" 1
expect_eq "cat /etc/os-release" "cat: /etc/os-release: No such file or directory" "$ERR"

# The exceptions: the host's files, read directly and through glibc.
rd --rules "$rules" -- cat /etc/hosts
expect_ok "cat /etc/hosts"
expect_eq "the host's /etc/hosts" "$(cat /etc/hosts)" "$OUT"
run id -un
native_user=$OUT
rd --rules "$rules" -- id -un
expect_ok "id -un (NSS reads /etc/nsswitch.conf and /etc/passwd)"
expect_eq "the user name from the host's passwd" "$native_user" "$OUT"

# The log shows both kinds of decision.
if ! backend_refuses --log -; then
  rd --log - --rules "$rules" -- cat /etc/hosts /etc/app/app.conf
  expect_ok "cat with --log -"
  [[ $ERR == *'openat[1] allow "/etc/hosts" rule '"'host-files'"* ]] || fail "no allow in the log: $ERR"
  [[ $ERR == *'openat[1] rewrite "/etc/app/app.conf" -> "'"$SNAP"'/etc/app/app.conf" rule '"'snap-etc'"* ]] ||
    fail "no rewrite in the log: $ERR"
fi

# explain agrees, for one path of each kind.
rd explain --rules "$rules" openat /etc/ssl/certs/ca-certificates.crt
expect_ok "explain a certificate"
[[ $OUT == *": allow by rule 'host-certificates' ("*"): left as it is" ]] || fail "explain: $OUT"
rd explain --rules "$rules" statx /etc
expect_ok "explain statx /etc"
[[ $OUT == *"\"/etc\": rewrite by rule 'snap-etc' ("*") -> \"$SNAP/etc\"" ]] || fail "explain: $OUT"
echo PASS
