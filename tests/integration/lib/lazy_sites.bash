# Helpers of the tests of lazy syscall-site rewriting under --backend inproc (inproc/lazy_sites.h);
# source after common.bash and inproc.bash. REDIRECT_INPROC_COUNT_TRAPS=1 makes the runtime
# write, at each process's exit_group, a notice on redirect's stderr:
#   redirect: pid P: T dispatch traps, S syscall sites rewritten, R refused

# lazy_run ON|OFF ARGS...: rd --backend inproc ARGS... with the trap count asked for and the
# rewriting on or off (REDIRECT_INPROC_LAZY=0). Sets STATUS, OUT, ERR like run.
lazy_run() {
  local lazy=1
  [[ $1 == OFF ]] && lazy=0
  shift
  run env REDIRECT_INPROC_COUNT_TRAPS=1 REDIRECT_INPROC_LAZY=$lazy \
    "$REDIRECT" --backend inproc "$@"
}

# traps [N]: the trap count of the Nth notice in ERR (default: the last one).
traps() {
  local lines
  lines=$(grep -E '^redirect: pid [0-9]+: [0-9]+ dispatch traps' <<<"$ERR") ||
    fail "no trap count in stderr: $ERR"
  if [[ -n ${1:-} ]]; then lines=$(sed -n "${1}p" <<<"$lines"); else lines=$(tail -n1 <<<"$lines"); fi
  sed -E 's/^redirect: pid [0-9]+: ([0-9]+) dispatch traps.*/\1/' <<<"$lines"
}

# sites_rewritten: the rewritten-site count of the last notice in ERR.
sites_rewritten() {
  grep -E '^redirect: pid [0-9]+: [0-9]+ dispatch traps' <<<"$ERR" | tail -n1 |
    sed -E 's/.* ([0-9]+) syscall sites rewritten.*/\1/'
}
