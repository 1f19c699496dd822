# A set-user-ID, set-group-ID or file-capability program run under an unprivileged redirect runs
# without those privileges (the kernel grants none to a traced program, setuid.sh): redirect
# says so once per run, naming the program, instead of leaving `passwd` or `fusermount3` to
# fail unexplained. A plain program, or a set-id one whose privileges are already the
# caller's, gets no notice.
source "$(dirname "$0")/lib/common.bash"

[[ $(id -u) == 0 ]] || skip "needs root to make set-id programs"
command -v setpriv >/dev/null || skip "needs setpriv"
pub=$(mktemp -d /tmp/redirect-setuid.XXXXXX)
trap 'rm -rf "$pub"; cleanup' EXIT
chmod 755 "$pub"
cp "$TRACEES/harden_creds" "$pub/suid"
chmod 4755 "$pub/suid"
cp "$TRACEES/harden_creds" "$pub/sgid"
chgrp 0 "$pub/sgid"
chmod 2755 "$pub/sgid"
cp "$TRACEES/harden_creds" "$pub/plain"
cat >"$pub/r.toml" <<'TOML'
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/'
replace = '/'
TOML
chmod a+r "$pub/r.toml"
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

run "${nobody[@]}" "$pub/suid" ids
[[ $OUT == "ids: ruid=65534 euid=0 dumpable=0" ]] ||
  skip "setuid bits do not take effect here (nosuid mount?): $OUT"

notice() {
  echo "redirect: pid $1: $2 is $3 but runs without that privilege: the kernel grants none to a traced program (see \"Set-id programs\" in redirect's rules.md); further ones are not reported"
}

# The program itself, set-user-ID root.
run "${nobody[@]}" "$REDIRECT" --rules "$pub/r.toml" "$pub/suid" ids
expect_ok "setuid program"
expect_eq "setuid program: runs as the caller" "ids: ruid=65534 euid=65534 dumpable=1" "$OUT"
[[ $ERR =~ ^redirect:\ pid\ ([0-9]+): ]] || fail "no notice for a setuid program: $ERR"
expect_eq "setuid program: the notice" "$(notice "${BASH_REMATCH[1]}" "$pub/suid" "set-user-ID (uid 0)")" "$ERR"

# Started by a shell, twice, and a set-group-ID one: one notice per run, for the first.
run "${nobody[@]}" "$REDIRECT" --rules "$pub/r.toml" sh -c "'$pub/plain' ids; '$pub/sgid' ids; '$pub/suid' ids"
expect_ok "set-id programs started by a shell"
[[ $ERR =~ ^redirect:\ pid\ ([0-9]+): ]] || fail "no notice for a setgid program: $ERR"
expect_eq "one notice per run, naming the first" "$(notice "${BASH_REMATCH[1]}" "$pub/sgid" "set-group-ID (gid 0)")" "$ERR"

# File capabilities.
if command -v setcap >/dev/null; then
  cp "$TRACEES/harden_creds" "$pub/caps"
  setcap cap_net_bind_service+ep "$pub/caps"
  run "${nobody[@]}" "$REDIRECT" --rules "$pub/r.toml" "$pub/caps" ids
  expect_ok "a program with file capabilities"
  [[ $ERR =~ ^redirect:\ pid\ ([0-9]+): ]] || fail "no notice for file capabilities: $ERR"
  expect_eq "file capabilities: the notice" "$(notice "${BASH_REMATCH[1]}" "$pub/caps" "given file capabilities")" "$ERR"
else
  echo "note: setcap missing (libcap2-bin): file capabilities not checked" >&2
fi

# No notice: a plain program, and a root redirect whose setuid-root program keeps root.
run "${nobody[@]}" "$REDIRECT" --rules "$pub/r.toml" "$pub/plain" ids
expect_ok "plain program"
expect_eq "plain program: no notice" "" "$ERR"
rd --rules "$pub/r.toml" "$pub/suid" ids
expect_ok "setuid-root program under a root redirect"
expect_eq "root: no notice" "" "$ERR"
echo PASS
