# A setuid-root program run under an unprivileged redirect. The kernel does not raise the
# privileges of a program executed under ptrace by a tracer without CAP_SYS_PTRACE over it
# (LSM_UNSAFE_PTRACE, fs/exec.c + security/commoncap.c): the program runs with the caller's
# uid, as under strace or gdb, and its paths are rewritten like any other. Natively it runs as
# root. What redirect documents: setuid bits do not work under an unprivileged redirect. (Under
# a root redirect they do; that needs no test of its own.)
source "$(dirname "$0")/lib/common.bash"

[[ $(id -u) == 0 ]] || skip "needs root to make a setuid-root program"
command -v setpriv >/dev/null || skip "needs setpriv"
pub=$(mktemp -d /tmp/redirect-setuid.XXXXXX)
trap 'rm -rf "$pub"; cleanup' EXIT
chmod 755 "$pub"
mkdir "$pub/real"
echo "A file" >"$pub/real/A"
cp "$TRACEES/harden_creds" "$pub/suid"
chmod 4755 "$pub/suid"
cat >"$pub/r.toml" <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/suid/(.*)$'
replace = '$pub/real/\$1'
TOML
chmod a+r "$pub/r.toml" "$pub/real/A"
chmod a+rx "$pub/real"
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

run "${nobody[@]}" "$pub/suid" ids
expect_ok "native setuid run"
[[ $OUT == "ids: ruid=65534 euid=0 dumpable=0" ]] ||
  skip "setuid bits do not take effect here (nosuid mount?): $OUT"

run "${nobody[@]}" "$REDIRECT" --rules "$pub/r.toml" "$pub/suid" ids open /redirect-virtual/suid/A
expect_ok "setuid program under an unprivileged redirect"
expect_eq "setuid dropped, paths rewritten" "ids: ruid=65534 euid=65534 dumpable=1
open /redirect-virtual/suid/A = A file" "$OUT"
echo PASS
