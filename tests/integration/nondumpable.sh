# Tracees whose memory the kernel guards (remote_mem.h):
# - a non-dumpable tracee (prctl(PR_SET_DUMPABLE, 0)) under a root redirect: CAP_SYS_PTRACE
#   lets process_vm_readv through, the path is rewritten;
# - a tracee that changed its uid (root -> nobody) under a root redirect without
#   CAP_SYS_PTRACE, then made itself dumpable again: process_vm_readv/writev fail with EPERM
#   (credentials differ) and redirect falls back to PTRACE_PEEKDATA/POKEDATA: rewritten;
# - a non-dumpable tracee under an unprivileged redirect (uid nobody): no way to read its
#   memory at all (PEEKDATA is refused too, kernel/ptrace.c ptrace_access_vm), so its paths
#   are left as they are, and redirect says so once on stderr. This is a documented limit.
# The root-only parts skip when not run as root.
source "$(dirname "$0")/lib/common.bash"

[[ $(id -u) == 0 ]] || skip "needs root to run redirect as another user"
command -v setpriv >/dev/null && command -v capsh >/dev/null || skip "needs setpriv and capsh"
# A directory the user nobody can read: $WORK may sit in a private temp dir.
pub=$(mktemp -d /tmp/redirect-nondumpable.XXXXXX)
trap 'rm -rf "$pub"; cleanup' EXIT
chmod 755 "$pub"
mkdir "$pub/real"
echo "A file" >"$pub/real/A"
echo "B file" >"$pub/real/B"
cp "$TRACEES/harden_creds" "$pub/"
cat >"$pub/r.toml" <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/nd/(.*)$'
replace = '$pub/real/\$1'
TOML
chmod -R a+rX "$pub"
T=$pub/harden_creds
warning="redirect: pid *: openat: cannot read the memory of a non-dumpable process"

rd --rules "$pub/r.toml" "$T" dumpable 0 ids open /redirect-virtual/nd/A
expect_ok "non-dumpable under root"
expect_eq "non-dumpable under root" "dumpable 0 = ok
ids: ruid=0 euid=0 dumpable=0
open /redirect-virtual/nd/A = A file" "$OUT"

run capsh --drop=cap_sys_ptrace -- -c \
  "exec '$REDIRECT' --rules '$pub/r.toml' '$T' become 65534 dumpable 1 ids open /redirect-virtual/nd/B"
expect_ok "uid change under root without CAP_SYS_PTRACE"
expect_eq "PEEKDATA/POKEDATA fallback" "become 65534 = ok
dumpable 1 = ok
ids: ruid=65534 euid=65534 dumpable=1
open /redirect-virtual/nd/B = B file" "$OUT"

run setpriv --reuid=65534 --regid=65534 --clear-groups "$REDIRECT" --rules "$pub/r.toml" "$T" \
  open /redirect-virtual/nd/A dumpable 0 open /redirect-virtual/nd/B open /redirect-virtual/nd/A
expect_ok "non-dumpable under nobody"
expect_eq "non-dumpable under nobody: left alone" "open /redirect-virtual/nd/A = A file
dumpable 0 = ok
open /redirect-virtual/nd/B = ENOENT
open /redirect-virtual/nd/A = ENOENT" "$OUT"
[[ $ERR == $warning* ]] || fail "no warning about the non-dumpable tracee: $ERR"
(($(grep -c "non-dumpable" <<<"$ERR") == 1)) || fail "the warning is not said exactly once: $ERR"
echo PASS
