# A rewritten exec of a program that does not arm the in-process runtime (an i386 program:
# libredirect-inproc.so is x86_64, and ld.so ignores an audit library of the wrong class) is
# logged with its result, " = 0", as under ptrace, not " = ?": no record of the new program
# says it started, but the process that made the exec ended without saying it failed. The log
# lines of both backends must be the same, time and pid aside. Skips without an i386 tracee
# (gcc-multilib) or without IA32 emulation.
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
source "$SRCDIR/tests/integration/lib/ia32.bash"
[[ -x $TRACEES/fsops-m32 ]] || skip "no i386 tracee (fsops-m32 needs gcc-multilib)"
run "$TRACEES/fsops" exec "$TRACEES/fsops-m32" access /
ia32_check exec
expect_eq "fsops-m32 natively" "access / = ok" "$OUT"

cat >r.toml <<TOML
[[rule]]
name = "bin"
syscalls = ["execve"]
match = '^/redirect-bin/(.*)\$'
replace = '$TRACEES/\$1'
TOML
prog=("$TRACEES/fsops" exec /redirect-bin/fsops-m32 access /)
rd --backend ptrace --log ptrace.log --rules r.toml "${prog[@]}"
expect_ok "the exec under ptrace"
ptrace_out=$OUT
rd --backend inproc --log inproc.log --rules r.toml "${prog[@]}"
expect_ok "the exec in-process"
expect_eq "the program's output" "$ptrace_out" "$OUT"
line='execve\[0\] rewrite "/redirect-bin/fsops-m32" -> ".*/fsops-m32" rule .bin. = 0$'
grep -q "$line" inproc.log ||
  fail "the exec's line does not end with its result: $(cat inproc.log)"
expect_eq "the log lines (time and pid aside)" "$(log_lines ptrace.log)" "$(log_lines inproc.log)"
echo PASS
