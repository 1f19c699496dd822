# A program that installs a strict seccomp allow-list of its own (no mmap in it, everything
# else SECCOMP_RET_KILL_PROCESS) before its first rewritten call is not killed by redirect:
# the scratch mapping is made at the program's seccomp() / prctl(PR_SET_SECCOMP) call, before
# its filter is in force, so no mmap need be injected under it. Both modes, both calls. Where
# a filter forbids mmap anyway (inherited across exec), strings go on the stack, with a notice.
source "$(dirname "$0")/lib/common.bash"

echo "real" >real.txt
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/allowlisted$'
replace = '$WORK/real.txt'
TOML

for api in seccomp prctl; do
  run "$TRACEES/allowlist" $api /redirect-virtual/allowlisted
  expect_eq "native run ($api)" "openat = ENOENT" "$OUT"
  run "$TRACEES/allowlist" $api "$WORK/real.txt"
  expect_eq "native run of the real file ($api)" "openat = real" "$OUT"
  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml "$TRACEES/allowlist" $api /redirect-virtual/allowlisted
    expect_ok "--mode $mode, $api: the program under its own allow-list"
    expect_eq "--mode $mode, $api: rewritten under the allow-list" "openat = real" "$OUT"
    expect_eq "--mode $mode, $api: stderr" "" "$ERR"
  done
done
# A filter that fails mmap with EPERM, inherited across exec: the new image has no mapping and
# none can be made, so the rewritten string goes on the stack, and the user is told.
if [[ -x $TRACEES/fsops-static ]]; then
  for mode in seccomp ptrace; do
    rd --mode $mode --rules r.toml "$TRACEES/allowlist" no-mmap-exec "$TRACEES/fsops-static" \
      open /redirect-virtual/allowlisted
    expect_ok "--mode $mode: exec under a filter that forbids mmap"
    expect_eq "--mode $mode: rewritten on the stack" "open /redirect-virtual/allowlisted = real" \
      "$OUT"
    [[ $ERR == *"cannot map redirect's scratch memory (Operation not permitted): rewritten strings go on the stack"* ]] ||
      fail "--mode $mode: no notice of the stack fallback: '$ERR'"
  done
else
  echo "no fsops-static (no static libc): the exec case is not run"
fi
echo PASS
