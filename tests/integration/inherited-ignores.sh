# A program inherits the signals redirect was started with ignored, every one of them, as it
# would natively: libc's internal ones too (glibc's 32 and 33), although redirect's own
# threads make glibc install a handler for 33 in redirect (exec would turn that into the
# default action). Both modes, and trace.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
run "$TRACEES/ignore_libc_signals" grep SigIgn /proc/self/status
expect_ok "native"
native=$OUT
# 32 and 33 are among them (bits 31 and 32 of the mask), or the test proves nothing.
(( (0x${native##*:$'\t'} >> 31 & 3) == 3 )) || fail "the native run does not ignore 32 and 33: $native"
for how in "--mode seccomp" "--mode ptrace" "trace --report /dev/null"; do
  # shellcheck disable=SC2086
  run "$TRACEES/ignore_libc_signals" "$REDIRECT" $how --rules r.toml grep SigIgn /proc/self/status
  expect_ok "redirect $how"
  expect_eq "the program's ignored signals, redirect $how" "$native" "$OUT"
done
echo PASS
