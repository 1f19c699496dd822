# redirect's own output never touches the program: a --log, a trace --report or its JSON lines
# that cannot be written (the reader of a pipe gone: EPIPE; a full disk: /dev/full, ENOSPC) is
# dropped with one notice on stderr where one can still be written, and the run goes on to the
# program's own exit status. The program keeps the SIGPIPE disposition it would have natively
# (redirect ignores SIGPIPE itself; the program must not inherit that).
source "$(dirname "$0")/lib/common.bash"

make_threads_files real
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/threads/(.*)$'
replace = '$WORK/real/\$1'
TOML
prog=("$TRACEES/threads_open" /redirect-virtual/threads)

# The reader of `--log -` (stderr, here the pipe into head) goes away after one line; every
# later decision line meets EPIPE. The program writes nothing to the pipe itself.
status=0
timeout -k 5 "$RUN_TIMEOUT" bash -c '"$@" 2>&1 >out.txt | head -1 >head.txt; echo "${PIPESTATUS[0]}" >status.txt' \
  _ "$REDIRECT" --log - --rules r.toml "${prog[@]}" 2 2000 || status=$?
expect_eq "--log - into a closed pipe: the pipeline" 0 "$status"
expect_eq "--log - into a closed pipe: redirect's status is the program's" 0 "$(cat status.txt)"
expect_eq "--log - into a closed pipe: the program ran to its end" "threads ok 4000" "$(cat out.txt)"
grep -q 'openat\[1\] rewrite' head.txt || fail "the first log line did not reach head: $(cat head.txt)"

# A full disk: one notice, the program's status and output.
rd --log /dev/full --rules r.toml "${prog[@]}" 2 500
expect_ok "--log /dev/full"
expect_eq "--log /dev/full: the program's output" "threads ok 1000" "$OUT"
expect_eq "--log /dev/full: one notice" \
  "redirect: cannot write the --log file /dev/full (No space left on device); it is dropped for the rest of the run" "$ERR"

# The same with a program that fails: its status, not redirect's.
rd --log /dev/full --rules r.toml "${prog[@]}" 1
expect_status "--log /dev/full, a failing program" 1

# Many threads, the reader of a --log FIFO gone mid-run.
mkfifo log.fifo
head -c 3000 <log.fifo >/dev/null &
rd --log log.fifo --rules r.toml "${prog[@]}" 16 1000
expect_ok "--log FIFO closed mid-run under 16 threads"
expect_eq "--log FIFO closed mid-run: the program's output" "threads ok 16000" "$OUT"
expect_eq "--log FIFO closed mid-run: one notice" \
  "redirect: cannot write the --log file log.fifo (Broken pipe); it is dropped for the rest of the run" "$ERR"

# trace: the report at the end, and JSON lines as they come.
rd trace --rules r.toml --report /dev/full "${prog[@]}" 2 100
expect_ok "trace --report /dev/full"
expect_eq "trace --report /dev/full: the program's output" "threads ok 200" "$OUT"
expect_eq "trace --report /dev/full: one notice" \
  "redirect: cannot write the --report file /dev/full (No space left on device); it is dropped for the rest of the run" "$ERR"
rd trace --rules r.toml --format json --report /dev/full "${prog[@]}" 2 100
expect_ok "trace --format json --report /dev/full"
expect_eq "trace json to /dev/full: one notice" \
  "redirect: cannot write the --report file /dev/full (No space left on device); it is dropped for the rest of the run" "$ERR"
status=0
timeout -k 5 "$RUN_TIMEOUT" bash -c '"$@" 2>&1 >out.txt | head -1 >/dev/null; echo "${PIPESTATUS[0]}" >status.txt' \
  _ "$REDIRECT" trace --format json "$TRACEES/threads_open" real 4 500 || status=$?
expect_eq "trace json into a closed pipe: redirect's status is the program's" 0 "$(cat status.txt)"
expect_eq "trace json into a closed pipe: the program ran to its end" "threads ok 2000" "$(cat out.txt)"

# The program's SIGPIPE disposition is its own: default here, as natively, although redirect
# ignores SIGPIPE; and a program that writes into a closed pipe dies of it as natively.
native=$(grep '^SigIgn:' /proc/self/status)
run "$REDIRECT" --rules r.toml grep '^SigIgn:' /proc/self/status
expect_ok "grep SigIgn under redirect"
expect_eq "the program's ignored signals" "$native" "$OUT"
status=0
bash -c '"$@" | true; echo "${PIPESTATUS[0]}" >status.txt' _ "$REDIRECT" --rules r.toml yes
expect_eq "yes into a closed pipe dies of SIGPIPE, as natively" 141 "$(cat status.txt)"
echo PASS
