# A static Go program (CGO_ENABLED=0) under --backend inproc runs through the launcher as it runs
# natively, started by redirect and exec'd by a redirected program alike: the same output and
# exit status, goroutines on threads that start and end (LockOSThread), its own signals, os/exec
# (a real vfork) and a path opened through a rule, by the runtime's wrapper and by a raw
# syscall. Only the environment differs: it carries LD_AUDIT and REDIRECT_INPROC_CONFIG, which
# keep the program's children redirected (docs/inproc.md). Static Go programs used to be
# refused here: a thread that ends calls exit on a stack Go has already freed, and the kernel
# wrote the SIGSYS frame on it (inproc-stack-untouched checks that no trap writes there now).
source "$(dirname "$0")/lib/common.bash"
source "$SRCDIR/tests/integration/lib/inproc.bash"
build_static_go startup openers
write_bundled_file_rules r.toml

# startup's output but its `env` line, which lists the environment.
without_env() { grep -v '^env ' <<<"$1"; }

run ./startup 9 'two words' ''
expect_status "native startup" 9
native=$OUT
[[ $native == *'goroutines: 1600 stats'*'signal: user defined signal 1'*'child: "child says hi\n" <nil>'* ]] ||
  fail "native run: $native"

RUN_TIMEOUT=20 rd --backend inproc --rules r.toml ./startup 9 'two words' ''
expect_status "startup under --backend inproc ($ERR)" 9
expect_eq "startup under --backend inproc" "$(without_env "$native")" "$(without_env "$OUT")"
[[ -z $ERR ]] || fail "startup under --backend inproc said: $ERR"

run "$WORK/startup" 9 'two words' ''
native=$OUT
RUN_TIMEOUT=20 rd --backend inproc --rules r.toml "$TRACEES/exec_empty_env" "$WORK/startup" 9 \
  'two words' ''
expect_status "startup exec'd by a redirected program" 9
expect_eq "startup exec'd by a redirected program" "$(without_env "$native")" "$(without_env "$OUT")"
[[ -z $ERR ]] || fail "startup exec'd by a redirected program: a notice: $ERR"

RUN_TIMEOUT=20 rd --backend inproc --rules r.toml ./openers /redirect-virtual/file
expect_ok "openers under --backend inproc ($ERR)"
expect_eq "openers under --backend inproc" "opened 4000/4000, raw openat true, cat true" "$OUT"
echo PASS
