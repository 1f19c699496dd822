# Signals while rewritten calls return through redirect's return stub (one stop per rewrite):
# tracees/stub_signals.c makes 20000 rewritten openat calls with an inline `syscall` while
# SIGALRM fires every 300 us, with SA_RESTART, without it, and on a sigaltstack; each handler
# makes a rewritten openat itself and records the instruction pointer of its ucontext. Every
# signal that arrives during a rewritten call finds the thread about to run its stub, so
# redirect must finish the stub first: the program must behave exactly as natively (argument
# registers intact, the handler never sees an address in an anonymous executable mapping, its
# own rewrites work), and --stats must show that signals were unwound (the test reaches the
# case) in one stop, and none with --two-stops. Without the unwinding the tracee crashes.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
# The emulated VMs of tests/vm run fewer calls under a slower timer (STUB_SIGNAL_*).
ops=${STUB_SIGNAL_OPS:-20000} interval=${STUB_SIGNAL_INTERVAL_US:-300}

echo main >main.txt
printf handler >handler.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/(main|handler)\$'
replace = '$WORK/\$1.txt'
TOML

for mode in restart norestart altstack; do
  run "$TRACEES/stub_signals" main.txt handler.txt $mode 2000 "$interval"
  expect_ok "native stub_signals $mode"
  expect_eq "native $mode" "opens: ok
handled: yes
handler opens: ok
handler saw the stub: 0 times" "$OUT"
  native=$OUT
  for how in one two; do
    flags=(--stats)
    [[ $how == two ]] && flags+=(--two-stops)
    rd "${flags[@]}" --rules r.toml "$TRACEES/stub_signals" /redirect-virtual/main \
      /redirect-virtual/handler $mode "$ops" "$interval"
    expect_ok "stub_signals $mode under redirect ($how stop(s))"
    expect_eq "$mode under redirect ($how stop(s))" "$native" "$OUT"
    [[ $ERR =~ rewrites:\ ([0-9]+)\ in\ one\ stop.*\ ([0-9]+)\ signals\ unwound ]] ||
      fail "no rewrite stats: $ERR"
    if [[ $how == one ]]; then
      ((BASH_REMATCH[1] >= ops && BASH_REMATCH[2] > 0)) ||
        fail "$mode: expected one-stop rewrites and unwound signals: $ERR"
    else
      ((BASH_REMATCH[1] == 0 && BASH_REMATCH[2] == 0)) || fail "$mode --two-stops: $ERR"
    fi
  done
done
echo PASS
