# examples/tzdata.toml end to end: `TZ=Area/City date`, dynamic coreutils and static busybox,
# formats time with the zone files the snap ships under $SNAP/usr/share/zoneinfo (compiled
# here with zic from tests/support/tzdata/snap.zi), both for a zone the host lacks and for
# one the bundle ships with different data than the host's.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

command -v zic >/dev/null || skip "zic is missing (it comes with libc-bin)"
snap_tree tz
zic -d "$SNAP/usr/share/zoneinfo" "$SRCDIR/tests/support/tzdata/snap.zi" ||
  fail "zic could not compile snap.zi"
rules=$(example_rules tzdata)
before=$(tree_state "$SNAP")
fmt='+%Z %z %H:%M'

# Natively the system's database decides: Snap/City is unknown (glibc falls back to UTC under
# the zone's name), Europe/Paris is the real one when tzdata is installed.
TZ=Snap/City run date -d @0 "$fmt"
expect_eq "native TZ=Snap/City" "Snap +0000 00:00" "$OUT"

tools=(date)
[[ -x /bin/busybox ]] && tools+=("/bin/busybox date")
for tool in "${tools[@]}"; do
  TZ=Snap/City rd --rules "$rules" -- $tool -d @0 "$fmt"
  expect_ok "TZ=Snap/City $tool"
  expect_eq "TZ=Snap/City $tool" "SNT +0545 05:45" "$OUT"
  TZ=Europe/Paris rd --rules "$rules" -- $tool -d @0 "$fmt"
  expect_ok "TZ=Europe/Paris $tool"
  expect_eq "TZ=Europe/Paris $tool, the bundle's data" "BUN -0315 20:45" "$OUT"
  # A zone the bundle does not ship is missing under the rule, exactly as on a host without
  # it: the snap must ship every zone it wants to offer.
  TZ=Asia/Tokyo rd --rules "$rules" -- $tool -d @0 "$fmt"
  expect_ok "TZ=Asia/Tokyo $tool"
  expect_eq "TZ=Asia/Tokyo $tool, not in the bundle" "Asia +0000 00:00" "$OUT"
done

expect_eq "the bundle is unchanged" "$before" "$(tree_state "$SNAP")"
echo PASS
