# Where ptrace is refused (here: a seccomp filter making ptrace fail with EPERM, as container
# profiles do), redirect says so in one message on stderr and exits 125; the program does not run
# unrewritten.
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules r.toml
run "$TRACEES/no_ptrace" cat TWO.txt
expect_ok "cat under no_ptrace"
expect_eq "cat under no_ptrace" "This is TWO.txt" "$OUT"

# LeakSanitizer (make sanitize) stops the process with ptrace to scan it, which is refused here
# too: it would abort instead of letting redirect exit 125.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
  run "$TRACEES/no_ptrace" "$REDIRECT" --rules r.toml cat TWO.txt
expect_status "redirect where ptrace is refused" 125
expect_eq "stdout where ptrace is refused (the program must not run)" "" "$OUT"
[[ $ERR == *ptrace* ]] || fail "the message does not say ptrace is refused: $ERR"
echo PASS
