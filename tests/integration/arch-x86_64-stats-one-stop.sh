# --stats sees the result of a rewrite that took one stop (x86_64's return stub): the stub
# stores the result in its slot and redirect reads it at the thread's next stop, so a
# rewritten open that fails is counted as failed, per rule and in total, as with --two-stops,
# also when the program exits right after it (exit_group is trapped under --stats). And a
# call the kernel restarts after a signal (a FIFO open interrupted with SA_RESTART) is counted
# once: its first entry is taken back when it runs again, in one stop as in two.
source "$(dirname "$0")/lib/common.bash"
[[ $(uname -m) == x86_64 ]] || skip "one-stop rewrites exist on x86_64 only"

mkfifo real.fifo
printf handler >handler.txt
cat >r.toml <<TOML
[[rule]]
name = "missing"
syscalls = ["openat"]
match = '^/redirect-virtual/missing\$'
replace = '$WORK/nowhere/missing'

[[rule]]
name = "fifo"
syscalls = ["openat"]
match = '^/redirect-virtual/fifo\$'
replace = '$WORK/real.fifo'

[[rule]]
name = "handler"
syscalls = ["openat"]
match = '^/redirect-virtual/handler\$'
replace = '$WORK/handler.txt'
TOML

has_line() { grep -qxF -- "$1" <<<"$ERR" || fail "$2: no line '$1' in: $ERR"; }
# rule_counts NAME: "HITS FAILED" of rule NAME in ERR.
rule_counts() {
  [[ $ERR =~ rule\ \'$1\'\ \([^\)]*\):\ ([0-9]+)\ hits,\ ([0-9]+)\ rewritten\ calls\ failed ]] ||
    fail "no stats of rule $1: $ERR"
  echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

# A failed rewrite, then the program's exit: its next stop is exit_group.
rd --stats --rules r.toml cat /redirect-virtual/missing
expect_status "cat of a rewritten path that does not exist" 1
has_line "redirect: stats: rewrites: 1 in one stop (0 results not seen), 0 in two stops, 0 signals unwound from the return stub" "one stop"
has_line "redirect: stats: rule 'missing' (r.toml:1): 1 hits, 1 rewritten calls failed" "one stop"
[[ $ERR == *"stats: syscalls: 1 rewritten (1 then failed in the kernel)"* ]] ||
  fail "one stop: the failure is not counted in total: $ERR"

# Restarts and EINTR: the FIFO open blocks while SIGALRM comes every 100 ms (about 4 times);
# its handler opens a rewritten path each time. Two stops read every result at exit stops and
# are the reference.
for mode in restart norestart; do
  for how in one two; do
    flags=(--stats)
    [[ $how == two ]] && flags+=(--two-stops)
    rd "${flags[@]}" --rules r.toml "$TRACEES/fifo_signal" /redirect-virtual/fifo real.fifo \
      $mode /redirect-virtual/handler
    expect_ok "fifo_signal $mode ($how stop(s))"
    read -r hits failed < <(rule_counts fifo)
    read -r handler_hits handler_failed < <(rule_counts handler)
    ((handler_hits >= 1 && handler_failed == 0)) || fail "$mode, $how stop(s): handler: $ERR"
    if [[ $mode == restart ]]; then
      # The kernel ran the one open again after each signal: one call of the program.
      ((hits == 1 && failed == 0)) || fail "$mode, $how stop(s): a restarted call counted again: $ERR"
    else
      # Each EINTR is a failed call of the program's, which it makes again itself.
      ((failed >= 1 && hits == failed + 1)) || fail "$mode, $how stop(s): EINTR not counted: $ERR"
    fi
    [[ $ERR == *"stats: syscalls: $((hits + handler_hits)) rewritten ($failed then failed"* ]] ||
      fail "$mode, $how stop(s): totals: $ERR"
    if [[ $how == one ]]; then
      [[ $ERR == *"rewrites: $((hits + handler_hits)) in one stop (0 results not seen), 0 in two"* ]] ||
        fail "$mode, one stop: $ERR"
    fi
  done
done
echo PASS
