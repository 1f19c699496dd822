# Symbolic links inside a bundle are followed in the program's view, as the kernel would follow
# them if the bundle were installed where the program expects it. A units-like layout: the
# bundle's /usr/share/units/currency.units is an absolute link to /var/lib/units/currency.units,
# and both trees are moved by rules (to two different places). An absolute target goes
# through the rules again; a relative one is read from the link's directory in the program's
# view (../../../var/lib/units/x climbs out of /usr/share/units, not out of the bundle);
# readlink, lstat, O_NOFOLLOW and unlink act on the link itself; a loop is ELOOP.
# cat, readlink, stat, rm, python3. Both modes.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

cat >r.toml <<TOML
[[rule]]
name = "units-data"
syscalls = ["%file"]
match = '^/usr/share/units(/.*)?\$'
replace = '$WORK/share/units\$1'

[[rule]]
name = "units-state"
syscalls = ["%file"]
match = '^/var/lib/units(/.*)?\$'
replace = '$WORK/state/units\$1'
TOML

u=/usr/share/units
for mode in seccomp ptrace; do
  rm -rf share state && mkdir -p share/units state/units
  echo "rates of the day" >state/units/currency.units
  ln -s /var/lib/units/currency.units share/units/currency.units
  ln -s /var/lib/units share/units/state-dir
  ln -s ../../../var/lib/units/currency.units share/units/relative.units
  ln -s /usr/share/units/loop share/units/loop
  r() { rd --mode $mode --log log.txt --rules r.toml "$@"; }

  r cat $u/currency.units
  expect_eq "an absolute link in the bundle, --mode $mode" "rates of the day" "$OUT"
  r cat $u/state-dir/currency.units
  expect_eq "an absolute link to a directory, walked through, --mode $mode" "rates of the day" "$OUT"
  r cat $u/relative.units
  expect_eq "a relative link climbing out of the rule's tree, --mode $mode" "rates of the day" "$OUT"
  r readlink $u/currency.units
  expect_eq "readlink reads the link itself, --mode $mode" "/var/lib/units/currency.units" "$OUT"
  r stat -c %F $u/currency.units
  expect_eq "stat (lstat) sees the link, --mode $mode" "symbolic link" "$OUT"
  r stat -L -c %s $u/currency.units
  expect_eq "stat -L sees the target, --mode $mode" "17" "$OUT"
  r python3 -c "
import errno, os
try:
    os.open('$u/currency.units', os.O_RDONLY | os.O_NOFOLLOW)
except OSError as e:
    print(errno.errorcode[e.errno])"
  expect_eq "O_NOFOLLOW on the link, --mode $mode" "ELOOP" "$OUT"
  r cat $u/loop
  expect_status "a loop of links, --mode $mode" 1
  [[ $ERR == *"Too many levels of symbolic links"* ]] || fail "a loop of links, --mode $mode: $ERR"
  r rm $u/currency.units
  expect_ok "rm the link, --mode $mode"
  [[ ! -L share/units/currency.units && -f state/units/currency.units ]] ||
    fail "rm did not act on the link itself, --mode $mode"
done
echo "view-links: ok"
