# A static Go program (CGO_ENABLED=0, built here from go/startup.go) runs under the in-process
# launcher as it runs natively: the same arguments and environment, goroutines on their own
# threads, the garbage collector, its own signal handling, os/exec and the exit status. Go
# reads its auxv from the initial stack (AT_RANDOM seeds its hashes, AT_PAGESZ...), starts
# threads with raw clone and installs handlers for every signal, so it is the least forgiving
# static program the launcher has to enter.
source "$(dirname "$0")/lib/common.bash"
[[ ${REDIRECT_SANITIZED:-0} == 0 ]] || skip "a sanitizer build has no in-process backend or launcher"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
[[ $(uname -m) == x86_64 ]] || skip "the in-process backend and its launcher are x86_64 only"
LAUNCHER=$BUILDDIR/redirect-inproc-exec
[[ -x $LAUNCHER ]] || fail "no launcher at $LAUNCHER"
build_static_go startup
file_out=$(head -c 20 startup | od -An -c | tr -d ' \n')
[[ $file_out == 177ELF* ]] || fail "go build made no ELF file"

run env -i 'SPACED=a b' ./startup 9 'two words' ''
expect_status "native run" 9
native=$OUT
[[ $native == *'goroutines: 1600 stats'*'signal: user defined signal 1'*'child: "child says hi\n" <nil>'* ]] ||
  fail "native run: $native"

for i in 1 2 3; do
  run env -i 'SPACED=a b' "$LAUNCHER" ./startup 9 'two words' ''
  expect_status "launched run $i" 9
  expect_eq "launched run $i" "$native" "$OUT"
done
echo PASS
