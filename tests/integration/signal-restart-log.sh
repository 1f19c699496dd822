# The log, --stats and trace report the result a program sees, not the kernel's restart codes:
# a blocking FIFO open at a rewritten path, interrupted many times by a timer signal, is at each
# interruption's exit stop "-512" (ERESTARTSYS). With SA_RESTART the kernel runs it again and
# the program sees one open: one log line "= 3" (its fd), no failed call in --stats, one trace
# event.
# Without SA_RESTART each interruption is EINTR in the program: one log line "= -1 EINTR" each,
# counted as failed, then the "= 3". A signal with no handler (SIGWINCH, ignored by default)
# also interrupts the open of a traced program, and the kernel restarts it: one line "= 3".
# In both --mode seccomp and --mode ptrace.
source "$(dirname "$0")/lib/common.bash"

mkfifo real.fifo
cat >r.toml <<TOML
[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo$'
replace = '$WORK/real.fifo'
TOML
prog=("$TRACEES/fifo_interrupted" /redirect-virtual/fifo real.fifo)

# count REGEX TEXT: how many lines of TEXT match the extended REGEX.
count() { grep -cE -- "$1" <<<"$2" || true; }

for mode in seccomp ptrace; do
  rd --mode $mode --log - --stats --rules r.toml "${prog[@]}" restart
  expect_ok "SA_RESTART, --mode $mode"
  [[ $OUT =~ ^fd\ ([0-9]+)\ after\ 0\ EINTR,\ ([0-9]+)\ signals$ ]] || fail "SA_RESTART, --mode $mode: $OUT"
  fd=${BASH_REMATCH[1]} signals=${BASH_REMATCH[2]}
  ((signals >= 5)) || fail "SA_RESTART, --mode $mode: only $signals interruptions: $OUT"
  lines=$(grep -E 'openat\[1\] rewrite "/redirect-virtual/fifo"' <<<"$ERR" || true)
  expect_eq "SA_RESTART, --mode $mode: one log line, with the final result" 1 "$(count . "$lines")"
  [[ $lines == *' rule '"'fifo'"" = $fd" ]] || fail "SA_RESTART, --mode $mode: $lines"
  grep -q "^redirect: stats: syscalls: 1 rewritten (0 then failed in the kernel)" <<<"$ERR" ||
    fail "SA_RESTART, --mode $mode: --stats: $ERR"
  grep -q "^redirect: stats: rule 'fifo' (r.toml:1): 1 hits, 0 rewritten calls failed$" <<<"$ERR" ||
    fail "SA_RESTART, --mode $mode: --stats per rule: $ERR"

  rd --mode $mode --log - --stats --rules r.toml "${prog[@]}" norestart
  expect_ok "no SA_RESTART, --mode $mode"
  [[ $OUT =~ ^fd\ ([0-9]+)\ after\ ([0-9]+)\ EINTR ]] || fail "no SA_RESTART, --mode $mode: $OUT"
  fd=${BASH_REMATCH[1]} eintr=${BASH_REMATCH[2]}
  ((eintr >= 5)) || fail "no SA_RESTART, --mode $mode: only $eintr EINTR: $OUT"
  expect_eq "no SA_RESTART, --mode $mode: one EINTR line per EINTR the program saw" "$eintr" \
    "$(count "openat\[1\] rewrite \"/redirect-virtual/fifo\" .* = -1 EINTR \(Interrupted system call\)$" "$ERR")"
  expect_eq "no SA_RESTART, --mode $mode: then the open" 1 \
    "$(count "openat\[1\] rewrite \"/redirect-virtual/fifo\" .* = $fd$" "$ERR")"
  expect_eq "no SA_RESTART, --mode $mode: no other line" $((eintr + 1)) \
    "$(count 'openat\[1\] rewrite' "$ERR")"
  grep -q "^redirect: stats: rule 'fifo' (r.toml:1): $((eintr + 1)) hits, $eintr rewritten calls failed$" <<<"$ERR" ||
    fail "no SA_RESTART, --mode $mode: --stats per rule: $ERR"

  rd --mode $mode --log - --stats --rules r.toml "${prog[@]}" nohandler
  expect_ok "no handler, --mode $mode"
  [[ $OUT =~ ^fd\ ([0-9]+)\ after\ 0\ EINTR,\ 0\ signals$ ]] || fail "no handler, --mode $mode: $OUT"
  fd=${BASH_REMATCH[1]}
  expect_eq "no handler, --mode $mode: one log line" 1 "$(count 'openat\[1\] rewrite' "$ERR")"
  expect_eq "no handler, --mode $mode: with the final result" 1 \
    "$(count "openat\[1\] rewrite \"/redirect-virtual/fifo\" .* = $fd$" "$ERR")"
  grep -q "^redirect: stats: rule 'fifo' (r.toml:1): 1 hits, 0 rewritten calls failed$" <<<"$ERR" ||
    fail "no handler, --mode $mode: --stats per rule: $ERR"

  # trace sees one open of the FIFO, with its final result.
  rd trace --mode $mode --format json --rules r.toml "${prog[@]}" restart
  expect_ok "trace, SA_RESTART, --mode $mode"
  events=$(grep '"/redirect-virtual/fifo"' <<<"$ERR" || true)
  expect_eq "trace, SA_RESTART, --mode $mode: one event" 1 "$(count . "$events")"
  [[ $OUT =~ ^fd\ ([0-9]+)\  ]] || fail "trace, SA_RESTART, --mode $mode: $OUT"
  [[ $events == *"\"result\":${BASH_REMATCH[1]}"* ]] || fail "trace, SA_RESTART, --mode $mode: $events"
done
echo PASS
