# Signals under --backend inproc are what the program sees natively although our SIGSYS handler
# runs inside it: the program's own SIGSYS handler (and sigaction's read-back), a blocked
# signal that stays pending, sigaltstack set, read back and disabled with a handler on it that
# opens a rewritten path, a FIFO open interrupted by SIGALRM with and without SA_RESTART (the
# handler opening a rewritten path itself), and EFAULT for unreadable path pointers.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"

echo "in the bundle" >bundled.txt
mkfifo real.fifo
printf handler >handler.txt
echo "real f" >f
cat >r.toml <<TOML
[[rule]]
name = "file"
syscalls = ["openat"]
match = '^/redirect-virtual/file\$'
replace = '$WORK/bundled.txt'

[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo\$'
replace = '$WORK/real.fifo'

[[rule]]
name = "handler"
syscalls = ["openat"]
match = '^/redirect-virtual/handler\$'
replace = '$WORK/handler.txt'

[[rule]]
name = "efault"
syscalls = ["openat"]
match = '^/redirect-virtual/e/(.*)\$'
replace = '$WORK/\$1'
TOML

for c in own-sigsys mask-blocks; do
  run "$TRACEES/signal_fidelity" $c
  expect_ok "native $c"
  native=$OUT
  rd --backend inproc --rules r.toml "$TRACEES/signal_fidelity" $c
  expect_ok "$c under --backend inproc"
  expect_eq "$c under --backend inproc" "$native" "$OUT"
done
expect_eq "mask-blocks natively" "mask-blocks = pending, reads blocked, delivered after unblock" \
  "$native"

run "$TRACEES/signal_fidelity" altstack bundled.txt
expect_ok "native altstack"
native=$OUT
rd --backend inproc --rules r.toml "$TRACEES/signal_fidelity" altstack /redirect-virtual/file
expect_ok "altstack under --backend inproc"
expect_eq "altstack under --backend inproc" "$native" "$OUT"

for mode in restart norestart; do
  run "$TRACEES/fifo_signal" real.fifo real.fifo $mode handler.txt
  expect_ok "native fifo_signal $mode"
  native=$OUT
  rd --backend inproc --rules r.toml "$TRACEES/fifo_signal" /redirect-virtual/fifo \
    real.fifo $mode /redirect-virtual/handler
  expect_ok "fifo_signal $mode under --backend inproc"
  expect_eq "fifo_signal $mode under --backend inproc" "$native" "$OUT"
done

rd --backend inproc --rules r.toml "$TRACEES/efault" /redirect-virtual/e/f
expect_ok "efault under --backend inproc"
expect_eq "unreadable strings under --backend inproc" "bad-pointer = EFAULT
prot-none = EFAULT
across-pages = real f
into-unmapped = EFAULT
nul-at-page-end = real f" "$OUT"
echo PASS
