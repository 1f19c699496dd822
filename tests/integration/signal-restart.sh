# A signal interrupts a blocked open() of a FIFO through a rewritten path while its handler
# dirties 64 KiB of stack (where the rewritten string was written). With SA_RESTART the kernel
# restarts the open, without it the program retries after EINTR; both must open the right path
# (redirect restores the argument register, with its return stub or at the exit stop, so the
# restart gets a fresh entry stop with the program's own pointer) and behave exactly as
# natively, in --mode seccomp with one stop per rewrite and with --two-stops, and in --mode
# ptrace. The handler itself opens a rewritten path each time, a rewrite nested
# inside the interrupted one.
source "$(dirname "$0")/lib/common.bash"

mkfifo real.fifo
printf handler >handler.txt
cat >r.toml <<TOML
[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo$'
replace = '$WORK/real.fifo'

[[rule]]
name = "handler"
syscalls = ["openat"]
match = '^/redirect-virtual/handler$'
replace = '$WORK/handler.txt'
TOML

for mode in restart norestart; do
  run "$TRACEES/fifo_signal" real.fifo real.fifo $mode handler.txt
  expect_ok "native fifo_signal $mode"
  native=$OUT
  if [[ $mode == restart ]]; then eintr=no; else eintr=yes; fi
  expect_eq "native $mode" "handler ran: yes
EINTR seen: $eintr
read: hello
handler opens: ok" "$native"

  for engine_mode in seccomp two-stops ptrace; do
    flags=(--mode $engine_mode)
    [[ $engine_mode == two-stops ]] && flags=(--two-stops)
    rd "${flags[@]}" --rules r.toml "$TRACEES/fifo_signal" /redirect-virtual/fifo \
      real.fifo $mode /redirect-virtual/handler
    expect_ok "fifo_signal $mode under redirect --mode $engine_mode"
    expect_eq "$mode under redirect --mode $engine_mode" "$native" "$OUT"
  done
done
echo PASS
