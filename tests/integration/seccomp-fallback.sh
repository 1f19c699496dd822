# Where a seccomp filter cannot be installed, redirect says so on stderr once and runs the
# program in --mode ptrace instead: still rewritten, same exit status.
source "$(dirname "$0")/lib/common.bash"

seed_files
seed_rules r.toml
run "$TRACEES/engine_no_seccomp" "$REDIRECT" --rules r.toml cat TWO.txt
expect_ok "redirect where seccomp is refused"
expect_eq "rewritten in the fallback mode" "This is ONE.txt" "$OUT"
[[ $ERR == *"seccomp filter"*"falling back to --mode ptrace"* ]] || fail "no fallback message: $ERR"
run "$TRACEES/engine_no_seccomp" "$REDIRECT" --rules r.toml sh -c 'exit 7'
expect_status "exit status in the fallback mode" 7
# With seccomp available, nothing is said.
rd --rules r.toml cat TWO.txt
expect_eq "no message when seccomp works" "" "$ERR"
echo PASS
