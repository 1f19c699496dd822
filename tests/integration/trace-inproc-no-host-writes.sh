# `redirect trace --backend inproc --no-host-writes`: the decision the ptrace trace makes
# (rules/host_writes.h), made by the in-process handler before the call: a write outside
# ROOT, /tmp and /var/tmp fails with EROFS and creates nothing on the host; a write under /tmp
# and a read run; the report shows the EROFS and the suggested data rule then makes it work.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

app=redirect-tinhw-$$-$RANDOM
[[ ! -e /var/lib/$app ]] || skip "/var/lib/$app exists on this host"
mkdir bundle
tmp=$(mktemp -d /tmp/redirect-tinhw.XXXXXX)
CLEANUP_DIR=$tmp
trap 'rm -rf "$CLEANUP_DIR"; cleanup' EXIT
cat >app.sh <<SH
echo t >$tmp/ok && cat /etc/hostname >/dev/null && mkdir -p /var/lib/$app && echo state >/var/lib/$app/state && echo done
SH

run "$REDIRECT" trace --backend inproc --no-host-writes --suggest bundle -o r.toml --report r.txt -- sh app.sh
expect_status "the script fails on the read-only host" 1
[[ ! -e /var/lib/$app ]] || { rm -rf "/var/lib/$app"; fail "/var/lib/$app was created on the host"; }
[[ -s $tmp/ok ]] || fail "the write under /tmp did not run"
[[ $ERR == *"mkdir: cannot create directory '/var/lib/$app': Read-only file system"* ||
   $ERR == *"/var/lib/$app"*"Read-only file system"* ]] || fail "mkdir did not see EROFS: $ERR"
grep -q "mkdir(\"$app\" (/var/lib/$app)) = -1 EROFS" r.txt || fail "the report does not show the EROFS: $(cat r.txt)"
grep -q "^name = 'data-$app'" r.toml || fail "no data rule suggested: $(cat r.toml)"

run env -u SNAP_DATA "$REDIRECT" --backend inproc --rules r.toml sh app.sh
expect_ok "the script under the suggested rules"
expect_eq "its output" done "$OUT"
expect_eq "its state in the data directory" state "$(cat "bundle/data/$app/state")"
[[ ! -e /var/lib/$app ]] || fail "the host was written"
echo PASS
