# The launcher calls its arming hook last, and the loaded program then runs armed: a launcher
# built with a test hook (tests/support/inproc_counting_launcher.cpp) arms Syscall User Dispatch
# with a handler that counts getppid calls and reports the count at exit_group. A static or
# static-pie program making K getppid calls must be reported with exactly K, for two values of
# K, and exit normally; natively (no launcher) nothing is counted or printed.
source "$(dirname "$0")/lib/common.bash"
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || skip "a sanitizer build has no in-process backend or launcher"
counting=$TRACEES/inproc_counting_launcher
[[ -x $counting ]] || fail "no test launcher at $counting"

checked=0
for prog in startup_report-static startup_report-static-pie; do
  p=$TRACEES/$prog
  [[ -x $p ]] || continue
  run "$p" getppid 5
  expect_ok "$prog natively"
  expect_eq "$prog natively" "" "$ERR"
  for k in 5 23; do
    run "$counting" "$p" getppid "$k"
    if [[ $STATUS == 125 && $ERR == *"PR_SET_SYSCALL_USER_DISPATCH"* ]]; then
      skip "this kernel has no Syscall User Dispatch (Linux >= 5.11): $ERR"
    fi
    expect_ok "$prog launched armed, $k calls"
    expect_eq "$prog launched armed, $k calls" "inproc_counting_launcher: $k getppid calls trapped" "$ERR"
  done
  checked=$((checked + 1))
done
((checked > 0)) || skip "no static tracee could be built (libc6-dev's libc.a is missing)"
echo PASS
