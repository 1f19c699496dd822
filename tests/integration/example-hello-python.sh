# examples/hello-python.toml end to end: a real Python program with hard-coded /etc/hello,
# /usr/share/hello and /var/lib/hello paths reads the files its snap ships under $SNAP and
# writes its state under $SNAP_DATA; nothing appears at the original locations.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/support/snap_tree.bash"

PYTHON=$(python_bin)
snap_tree hello
for d in /etc/hello /usr/share/hello /var/lib/hello; do
  [[ ! -e $d ]] || skip "$d exists on this machine; the test needs it absent"
done
mkdir -p "$SNAP/bin" "$SNAP/etc/hello" "$SNAP/usr/share/hello"
cp "$SRCDIR/tests/support/hello/hello.py" "$SNAP/bin/hello"
printf '# shipped by the snap\nname = snap\n' >"$SNAP/etc/hello/hello.conf"
echo 'Hello, {name}, from the bundle!' >"$SNAP/usr/share/hello/greeting.txt"
rules=$(example_rules hello-python)
before=$(tree_state "$SNAP")

# Natively the program cannot find its files: that is the problem the rules solve.
run "$PYTHON" "$SNAP/bin/hello"
[[ $STATUS != 0 && $ERR == *"No such file or directory: '/etc/hello/hello.conf'"* ]] ||
  fail "native run should fail on /etc/hello/hello.conf; status $STATUS, stderr: $ERR"

rd --rules "$rules" -- "$PYTHON" "$SNAP/bin/hello"
expect_ok "hello under redirect"
expect_eq "first run" $'Hello, snap, from the bundle!\nruns: 1' "$OUT"
rd --rules "$rules" -- "$PYTHON" "$SNAP/bin/hello"
expect_ok "hello under redirect, again"
expect_eq "second run sees the first run's state" $'Hello, snap, from the bundle!\nruns: 2' "$OUT"

expect_eq "state written to \$SNAP_DATA" $'run\nrun' "$(cat "$SNAP_DATA/runs")"
expect_eq "the bundle is unchanged" "$before" "$(tree_state "$SNAP")"
for d in /etc/hello /usr/share/hello /var/lib/hello; do
  [[ ! -e $d ]] || fail "$d was created on the host"
done

# Each of the three rules decided at least once (hit counts from --stats).
if ! backend_refuses --stats; then
  rd --stats --rules "$rules" -- "$PYTHON" "$SNAP/bin/hello"
  expect_ok "hello with --stats"
  for rule in config data state; do
    [[ $ERR =~ "rule '$rule' ("[^\)]*"): "[1-9] ]] || fail "--stats: no hit of rule '$rule': $ERR"
  done
fi
echo PASS
