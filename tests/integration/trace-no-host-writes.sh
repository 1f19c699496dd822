# `trace --no-host-writes` discovers without touching the host: a script that keeps its state
# in /var/lib/APP and its pid in /run/APP.pid fails there with EROFS (nothing is created on the
# host), the report lists the calls, and the suggested data rules, used as written, make it
# work with both files in the bundle's data directory.
source "$(dirname "$0")/lib/common.bash"

app=redirect-nhw-test-$$-$RANDOM
[[ ! -e /var/lib/$app && ! -e /run/$app.pid ]] || skip "/var/lib/$app exists on this host"
mkdir bundle
cat >app.sh <<SH
mkdir -p /var/lib/$app && echo state >/var/lib/$app/state && echo \$\$ >/run/$app.pid && echo ok
SH

rd trace --no-host-writes --suggest bundle -o r1.toml -- sh app.sh
expect_status "the script fails on the read-only host" 1
[[ ! -e /var/lib/$app ]] || { rm -rf "/var/lib/$app"; fail "/var/lib/$app was created on the host"; }
[[ $ERR == *"mkdir(\"$app\" (/var/lib/$app)) = -1 EROFS"* ]] || fail "the report does not show the EROFS: $ERR"
rd trace --no-host-writes --rules r1.toml --suggest bundle -o r2.toml -- sh app.sh
expect_status "round 2 fails at the pid file (sh: a redirection failed)" 2
[[ ! -e /run/$app.pid ]] || { rm -f "/run/$app.pid"; fail "/run/$app.pid was written on the host"; }
run env -u SNAP_DATA "$REDIRECT" lint --strict r2.toml
expect_ok "lint --strict"
run env -u SNAP_DATA "$REDIRECT" --rules r2.toml sh app.sh
expect_ok "the script under the suggested rules"
expect_eq "its output" ok "$OUT"
expect_eq "its state in the data directory" state "$(cat "bundle/data/$app/state")"
[[ -s bundle/data/run/$app.pid ]] || fail "no pid file in the data directory"
[[ ! -e /var/lib/$app && ! -e /run/$app.pid ]] || fail "the host was written"
echo PASS
