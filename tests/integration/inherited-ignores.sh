# A program inherits the signals redirect was started with ignored, every one of them, as it
# would natively: libc's internal ones too (glibc's 32 and 33), although redirect's own
# threads make glibc install a handler for 33 in redirect (exec would turn that into the
# default action). Both modes, and trace.
source "$(dirname "$0")/lib/common.bash"

seed_rules r.toml
# A sanitizer's runtime installs its own handlers for SIGSEGV, SIGBUS, SIGFPE (and more) before
# main, so under it only the other signals are compared.
libs=$(ldd "$REDIRECT" 2>/dev/null || true) # not piped into grep -q: pipefail + SIGPIPE
mask=ffffffffffffffff
[[ $libs == *lib[at]san* ]] && mask=fffffffffffff800  # signals 1-11 left out
masked() { printf 'SigIgn:\t%016x\n' $(( 0x${1##*:$'\t'} & 0x$mask )); }
run "$TRACEES/ignore_libc_signals" grep SigIgn /proc/self/status
expect_ok "native"
native=$OUT
# 32 and 33 are among them (bits 31 and 32 of the mask), or the test proves nothing.
(( (0x${native##*:$'\t'} >> 31 & 3) == 3 )) || fail "the native run does not ignore 32 and 33: $native"
for how in "--mode seccomp" "--mode ptrace" "trace --report /dev/null"; do
  # shellcheck disable=SC2086
  run "$TRACEES/ignore_libc_signals" "$REDIRECT" $how --rules r.toml grep SigIgn /proc/self/status
  expect_ok "redirect $how"
  expect_eq "the program's ignored signals, redirect $how" "$(masked "$native")" "$(masked "$OUT")"
done
echo PASS
