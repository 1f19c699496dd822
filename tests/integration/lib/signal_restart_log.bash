# check_restart_log PROG: the checks of signal-restart-log.sh on the FIFO tracee PROG
# (tracees/fifo_interrupted or its i386 build), in --mode seccomp and --mode ptrace. Sourced by
# those tests after lib/common.bash; fails the test on the first mismatch.
check_restart_log() {
  local tracee=$1 mode fd signals eintr lines events
  rm -f real.fifo
  mkfifo real.fifo
  cat >r.toml <<TOML
[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo$'
replace = '$WORK/real.fifo'
TOML
  local prog=("$tracee" /redirect-virtual/fifo real.fifo)

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
}
