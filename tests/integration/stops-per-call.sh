# The engine's cost contract, counted with --stats: in seccomp mode a rewritten syscall costs
# one stop (its entry; redirect's return stub puts the registers back), or two with
# --two-stops (its entry, and its exit to restore the registers), a trapped syscall that no
# rule changes one stop, and a syscall no rule names none; --mode ptrace stops at the entry and
# exit of every syscall. The first rewrite in an address space also makes redirect's scratch
# mapping: 4 injected syscalls (mmap, name, mprotect of the stubs, seal), 3 with --two-stops
# (no stubs), each a re-entry of the program's call, once per address space (with 0
# iterations nothing is rewritten, hence the +4 and +3). Counts are taken as the difference
# between N and 0 loop iterations so the program's start-up stops cancel out.
source "$(dirname "$0")/lib/common.bash"

mkdir real
echo "content" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["%file"]
match = '^/redirect-virtual/(.*)$'
replace = '$WORK/real/\$1'
TOML

N=500
# stops WHAT ARGS...: runs engine_loop under redirect --stats (and $FLAGS) and prints "SECCOMP
# ENTRY EXIT".
FLAGS=
stops() {
  rd --stats $FLAGS --rules r.toml "$@"
  expect_ok "$*"
  local line
  line=$(grep '^redirect: stats: stops:' <<<"$ERR") || fail "no stats line in: $ERR"
  sed -E 's/.*stops: ([0-9]+) seccomp, ([0-9]+) syscall entry, ([0-9]+) syscall exit.*/\1 \2 \3/' <<<"$line"
}
# delta WHAT EXPECTED ARGS-WITHOUT-N...: the stop counts of N iterations minus those of 0.
delta() {
  local what=$1 expected=$2
  shift 2
  local -a zero many
  read -ra zero <<<"$(stops "${@:1:1}" 0 "${@:2}")"
  read -ra many <<<"$(stops "${@:1:1}" $N "${@:2}")"
  expect_eq "$what (seccomp entry exit per $N)" "$expected" \
    "$((many[0] - zero[0])) $((many[1] - zero[1])) $((many[2] - zero[2]))"
}

loop=$TRACEES/engine_loop
# One-stop rewrites (return stubs) exist on x86_64 only; elsewhere the default is two stops.
if [[ $(uname -m) == x86_64 ]]; then
  delta "rewritten openat: 1 stop each" "$((N + 4)) 0 0" "$loop" /redirect-virtual/f
  rd --stats --rules r.toml "$loop" $N /redirect-virtual/f
  [[ $ERR == *"stats: engine: 4 injected syscalls"* ]] || fail "not 4 injected syscalls: $ERR"
  [[ $ERR == *"stats: rewrites: $N in one stop (0 results not seen), 0 in two stops"* ]] ||
    fail "not $N one-stop rewrites: $ERR"
  expect_eq "rewritten opens succeed" "opened $N of $N" "$OUT"
fi
FLAGS=--two-stops
delta "rewritten openat, --two-stops: 2 stops each" "$((N + 3)) 0 $N" "$loop" /redirect-virtual/f
FLAGS=
rd --stats --two-stops --rules r.toml "$loop" $N /redirect-virtual/f
[[ $ERR == *"stats: engine: 3 injected syscalls"* ]] || fail "not 3 injected syscalls: $ERR"
[[ $ERR == *"stats: rewrites: 0 in one stop (0 results not seen), $N in two stops"* ]] ||
  fail "not $N two-stop rewrites: $ERR"
expect_eq "rewritten opens succeed (--two-stops)" "opened $N of $N" "$OUT"
delta "untouched openat: 1 stop each" "$N 0 0" "$loop" "$WORK/real/f"
delta "getppid is not trapped: no stop" "0 0 0" "$loop" x getppid
# ptrace mode: openat and close, entry and exit each. Up to ~20 syscalls of the child before
# it execs may or may not be seen (it is PTRACE_INTERRUPTed asynchronously), hence the margin.
read -ra zero <<<"$(stops --mode ptrace "$loop" 0 /redirect-virtual/f)"
read -ra many <<<"$(stops --mode ptrace "$loop" $N /redirect-virtual/f)"
(( many[0] == 0 && zero[0] == 0 )) || fail "ptrace mode made seccomp stops"
for i in 1 2; do
  d=$((many[i] - zero[i] - 2 * N))
  (( d > -25 && d < 25 )) || fail "ptrace mode: ${many[i]} - ${zero[i]} stops, expected about $((2 * N))"
done
echo PASS
