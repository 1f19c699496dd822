# examples/busybox-static.toml end to end: the statically linked busybox and the dynamically
# linked coreutils, under the same rules, both read the snap's /etc/motd, and both resolve the
# current uid with the snap's /etc/passwd and /etc/group, which busybox reads itself (no NSS)
# and coreutils reads through glibc's NSS "files" module. Nothing is written anywhere.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || skip "$BUSYBOX is missing (scripts/install-deps installs busybox-static)"
# A dynamic busybox (Debian's `busybox` package) asks for an ELF interpreter (readelf comes
# with binutils, which g++ needs).
if readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'program interpreter'; then
  skip "$BUSYBOX is not statically linked (install busybox-static, not busybox)"
fi
snap_tree busybox
mkdir -p "$SNAP/etc" "$SNAP/bin"
cp "$BUSYBOX" "$SNAP/bin/busybox"
echo "Welcome to the busybox snap" >"$SNAP/etc/motd"
uid=$(id -u) gid=$(id -g)
echo "snapuser:x:$uid:$gid:Snap User:/nonexistent:/bin/sh" >"$SNAP/etc/passwd"
echo "snapgroup:x:$gid:" >"$SNAP/etc/group"
rules=$(example_rules busybox-static)
etc_before=$(md5sum /etc/passwd /etc/group /etc/motd 2>/dev/null || true)

# Natively the host's files are read (the test needs the host to name the user otherwise).
run "$SNAP/bin/busybox" whoami
[[ $OUT != snapuser ]] || skip "the host already calls uid $uid 'snapuser'"

for tool in "$SNAP/bin/busybox" ""; do
  what=${tool:+busybox}
  what=${what:-coreutils}
  rd --rules "$rules" -- $tool cat /etc/motd
  expect_ok "$what cat /etc/motd"
  expect_eq "$what cat /etc/motd" "Welcome to the busybox snap" "$OUT"
  rd --rules "$rules" -- $tool whoami
  expect_ok "$what whoami"
  expect_eq "$what whoami" snapuser "$OUT"
  rd --rules "$rules" -- $tool id -gn
  expect_ok "$what id -gn"
  expect_eq "$what id -gn" snapgroup "$OUT"
  # stat sees the snap's file too (a size the host's /etc/motd would not have by chance).
  rd --rules "$rules" -- $tool stat -c %s /etc/motd
  expect_ok "$what stat /etc/motd"
  expect_eq "$what stat -c %s /etc/motd" "$(stat -c %s "$SNAP/etc/motd")" "$OUT"
done

# Every decision of one static run is in the log: openat of /etc/motd, rewritten.
if ! backend_refuses --log -; then
  rd --log - --rules "$rules" -- "$SNAP/bin/busybox" cat /etc/motd
  expect_ok "busybox cat with --log -"
  [[ $ERR == *'openat[1] rewrite "/etc/motd" -> "'"$SNAP"'/etc/motd" rule '"'snap-etc'"* ]] ||
    fail "no rewrite of /etc/motd in the log: $ERR"
fi

expect_eq "the host's /etc files are unchanged" "$etc_before" \
  "$(md5sum /etc/passwd /etc/group /etc/motd 2>/dev/null || true)"
echo PASS
