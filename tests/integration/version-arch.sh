# `redirect --version` names the architecture the binary was built for, which must be the one
# it runs on (uname -m), and the program ABIs it rewrites there: x86_64 and i386 on x86_64,
# aarch64 alone on aarch64 (32-bit arm programs are traced but never rewritten). A second line
# says where --backend inproc works: x86_64 with Linux >= 5.11, nowhere else.
source "$(dirname "$0")/lib/common.bash"
rd --version
expect_ok "--version"
machine=$(uname -m)
case $machine in
  x86_64) abis="x86_64 and i386" inproc="--backend inproc: x86_64 programs, Linux >= 5.11 (Syscall User Dispatch); static programs through redirect-inproc-exec" ;;
  aarch64) abis="aarch64" inproc="--backend inproc: not available on this architecture (x86_64 only)" ;;
  *) fail "no expectation for $machine" ;;
esac
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || inproc="--backend inproc: not in this build (a sanitizer build)"
[[ ${OUT%%$'\n'*} =~ ^redirect\ [0-9][^\ ]*\ \((.*)\)$ ]] || fail "--version printed '$OUT'"
expect_eq "--version: arch and ABIs" "$machine: rewrites $abis programs" "${BASH_REMATCH[1]}"
expect_eq "--version: where --backend inproc works" "$inproc" "${OUT#*$'\n'}"
echo PASS
