# Where redirect's return stub cannot be used, rewrites take two stops again and the program
# behaves as natively (tracees/stub_fallbacks.c): after the program installs a seccomp filter of
# its own (here one that lets openat through only from the instruction after its own `syscall`:
# the kernel runs the filters again after redirect's seccomp stop, and would see the stub's
# address; without the fallback the opens fail with EXDEV), and under PR_SET_MDWE (no
# anonymous memory may become executable: the mprotect of the stubs is refused).
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"

echo real >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/f\$'
replace = '$WORK/real.txt'
TOML

run "$TRACEES/stub_fallbacks" filter real.txt 50
expect_eq "native filter" "before the filter: ok
under the filter: ok" "$OUT"
rd --stats --rules r.toml "$TRACEES/stub_fallbacks" filter /redirect-virtual/f 50
expect_ok "filter under redirect"
expect_eq "filter under redirect" "before the filter: ok
under the filter: ok" "$OUT"
[[ $ERR == *"rewrites: 1 in one stop (0 results not seen), 50 in two stops"* ]] ||
  fail "not one stop before the filter and two after: $ERR"

run "$TRACEES/stub_fallbacks" mdwe real.txt 50
if [[ $OUT == "mdwe: unsupported" ]]; then
  echo "note: no PR_SET_MDWE in this kernel (before 6.3); not checked"
else
  expect_eq "native mdwe" "under mdwe: ok" "$OUT"
  rd --stats --rules r.toml "$TRACEES/stub_fallbacks" mdwe /redirect-virtual/f 50
  expect_ok "mdwe under redirect"
  expect_eq "mdwe under redirect" "under mdwe: ok" "$OUT"
  [[ $ERR == *"rewrites: 0 in one stop (0 results not seen), 50 in two stops"* ]] ||
    fail "not two stops under MDWE: $ERR"
fi
echo PASS
