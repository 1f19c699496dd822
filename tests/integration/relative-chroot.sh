# After chroot, /proc names a tracee's directories from redirect's root, not from the tracee's:
# a relative name is then left as passed, not matched as a path the tracee cannot see. Inside
# a chroot at $WORK/host, `cd /app && cat f` reads the chroot's own /app/f, as natively,
# although /proc calls that directory $WORK/host/app, which a rule redirects.
source "$(dirname "$0")/lib/common.bash"
[[ $(id -u) == 0 ]] || skip "chroot needs root"
busybox=$(command -v busybox) || skip "busybox is not installed (busybox-static)"
file "$busybox" 2>/dev/null | grep -q 'statically linked' || [[ ! -x /usr/bin/file ]] ||
  skip "$busybox is not statically linked"

app_rules r.toml
mkdir -p host/app host/bin snap
echo "chroot's own file" >host/app/f
echo "bundle file" >snap/f
cp "$busybox" host/bin/busybox

run chroot host /bin/busybox sh -c 'cd /app && /bin/busybox cat f'
expect_ok "native chroot"
native=$OUT
for mode in seccomp ptrace; do
  rd --mode $mode --log log.txt --rules r.toml chroot host /bin/busybox sh -c 'cd /app && /bin/busybox cat f'
  expect_ok "chroot under redirect, --mode $mode"
  expect_eq "the chrooted program reads its own file, --mode $mode" "$native" "$OUT"
  grep -qF "its root directory is not redirect's (chroot)" log.txt ||
    fail "the chrooted relative name is not logged as unnamed, --mode $mode: $(cat log.txt)"
done
echo "relative-chroot: ok"
