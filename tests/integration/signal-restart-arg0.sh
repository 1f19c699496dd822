# A rewritten call whose path is argument 0, interrupted by a signal and restarted, reaches the
# rewritten file again: truncate at a rewritten path breaks a lease the program holds itself, the
# lease break's SIGIO interrupts it (ERESTARTSYS), and the handler releases the lease and makes a
# rewritten truncate of its own. On aarch64 argument 0 is x0, which holds the result at the exit
# stop and cannot be put back there; the kernel restarts the call from orig_x0, the program's
# own pointer saved before the entry stop, and redirect rewrites the fresh entry again. With
# SA_RESTART (the kernel restarts) and without (EINTR, the program retries) the program must see
# what it sees natively, in both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

# fresh_files: the leased file (10 bytes) and the handler's (7 bytes).
fresh_files() {
  printf '0123456789' >real.file
  printf 'handler' >handler.txt
}
cat >r.toml <<TOML
[[rule]]
name = "file"
syscalls = ["truncate"]
match = '^/redirect-virtual/file$'
replace = '$WORK/real.file'

[[rule]]
name = "handler"
syscalls = ["truncate"]
match = '^/redirect-virtual/handler$'
replace = '$WORK/handler.txt'
TOML

for mode in restart norestart; do
  fresh_files
  run "$TRACEES/lease_truncate" real.file real.file $mode handler.txt
  [[ $STATUS != 3 ]] || skip "the kernel refuses a read lease here ($OUT)"
  expect_ok "native lease_truncate $mode"
  native=$OUT
  # The handler's frame holds the program's own pointer for a restart; for EINTR, on aarch64,
  # the result instead (x0 is both).
  if [[ $mode == restart ]]; then eintr=0 frame='own pointer'; else eintr=1 frame=$(grep -o 'frame arg0: .*' <<<"$native"); frame=${frame#frame arg0: }; fi
  [[ $frame == 'own pointer' || ($mode == norestart && $frame == -EINTR) ]] ||
    fail "native $mode: the handler's frame shows $frame"
  expect_eq "native $mode" "handler ran: once
EINTR seen: $eintr
truncate: ok
size: 3
frame arg0: $frame
handler truncates: ok" "$native"

  for engine_mode in seccomp ptrace; do
    fresh_files
    rd --mode $engine_mode --rules r.toml "$TRACEES/lease_truncate" real.file \
      /redirect-virtual/file $mode /redirect-virtual/handler
    expect_ok "lease_truncate $mode under redirect --mode $engine_mode"
    expect_eq "$mode under redirect --mode $engine_mode" "$native" "$OUT"
    expect_eq "the handler's file, $mode, --mode $engine_mode" "ha" "$(cat handler.txt)"
    expect_eq "the leased file, $mode, --mode $engine_mode" "012" "$(cat real.file)"
  done
done
echo PASS
