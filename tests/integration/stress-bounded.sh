# Bounded stress: 64 threads and 200 short-lived processes at once, each doing 120 opens that
# alternate between a rewritten virtual path and the real path itself and checking every byte
# they read, repeated 3 times. No lost rewrite (ENOENT), no wrong file, no hang (each run is
# bounded by a timeout), and no process of the run left behind, alive or zombie, once redirect
# has returned. `make stress` runs the long version (tests/stress/run): HARDEN_STRESS_OPENS
# opens per worker, HARDEN_STRESS_ROUNDS rounds.
source "$(dirname "$0")/lib/common.bash"

opens=${HARDEN_STRESS_OPENS:-120}
rounds=${HARDEN_STRESS_ROUNDS:-3}

mkdir real
"$TRACEES/harden_stress" --make real
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/stress/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/harden_stress" "$WORK/real" "$WORK/real" 4 4 50
expect_eq "native run" "stress ok: 4 threads, 4 processes, 400 opens" "$OUT"
run "$TRACEES/harden_stress" /redirect-virtual/stress "$WORK/real" 1 0 1
expect_eq "the virtual path natively" 1 "$STATUS"

# Every process of a run carries this variable, so leftovers can be found in /proc.
tag=HARDEN_STRESS_TAG=$$.$RANDOM
leftovers() {
  local f pids=()
  for f in $(grep -laF "$tag" /proc/[0-9]*/environ 2>/dev/null); do
    f=${f#/proc/}
    pids+=("${f%/environ} ($(proc_state "${f%/environ}"))")
  done
  echo "${pids[*]}"
}

for ((round = 1; round <= rounds; round++)); do
  SECONDS=0
  run env "$tag" "$REDIRECT" --rules r.toml "$TRACEES/harden_stress" /redirect-virtual/stress \
    "$WORK/real" 64 200 "$opens"
  expect_ok "round $round"
  expect_eq "round $round" "stress ok: 64 threads, 200 processes, $((264 * opens)) opens" "$OUT"
  echo "round $round: ${SECONDS}s"
  left=$(leftovers)
  [[ -z $left ]] || fail "round $round left processes behind: $left"
done
echo PASS
