# The tracer's own memory stays flat over a long run: harden_loop makes ITERATIONS x 2 openat
# calls that the seccomp filter traps (half rewritten, half matched by no rule), plus
# short-lived threads and processes. This driver samples redirect's VmRSS (/proc/PID/status)
# each time the tracee reports 10000 more iterations, prints the samples, and fails when the
# resident size grew by more than MARGIN_KB after the first fifth of the run (warm-up: page
# faults of code and tables touched for the first time). Default ~300k stops; `make stress`
# runs it with ITERATIONS=1500000 (3M stops).
source "$(dirname "$0")/lib/common.bash"

iterations=${HARDEN_LOOP_ITERATIONS:-150000}
margin_kb=${HARDEN_MEMORY_MARGIN_KB:-256}
mkdir real
echo "loop file" >real/f
cat >r.toml <<TOML
[[rule]]
name = "virtual"
syscalls = ["openat"]
match = '^/redirect-virtual/loop/(.*)$'
replace = '$WORK/real/\$1'
TOML

run "$TRACEES/harden_loop" "$WORK/real" "$WORK/real" 1000
expect_eq "native run" "loop ok: 2008 syscalls" "$OUT"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

"$REDIRECT" --rules r.toml "$TRACEES/harden_loop" /redirect-virtual/loop "$WORK/real" \
  "$iterations" >out 2>err &
rpid=$!
CLEANUP_PIDS+=("$rpid")
samples=() # "ITERATION RSS_KB"
last=-1
deadline=$((SECONDS + RUN_TIMEOUT * 4))
while kill -0 "$rpid" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "no end after $((RUN_TIMEOUT * 4)) s"
  at=$(tr -d ' \n' <progress 2>/dev/null || true)
  if [[ -n $at && $at != "$last" ]]; then
    rss=$(rss_kb "$rpid")
    [[ -n $rss ]] && samples+=("$at $rss")
    last=$at
  fi
  sleep 0.02
done
wait "$rpid" || fail "redirect exited with $?: $(cat err)"
expect_eq "loop output" "loop ok: $((iterations * 2 + iterations / 1000 * 8 + iterations / 20000 * 8)) syscalls" "$(cat out)"
((${#samples[@]} >= 4)) || fail "only ${#samples[@]} samples: ${samples[*]}"

baseline=
peak=0
for s in "${samples[@]}"; do
  read -r at rss <<<"$s"
  echo "iteration $at: redirect VmRSS ${rss} kB"
  if ((at >= iterations / 5)); then
    [[ -n $baseline ]] || baseline=$rss
    ((rss > peak)) && peak=$rss
  fi
done
[[ -n $baseline ]] || fail "no sample after the warm-up"
echo "redirect VmRSS after warm-up: ${baseline} kB, peak afterwards: ${peak} kB, growth $((peak - baseline)) kB over ~$((iterations * 2)) stops"
((peak - baseline <= margin_kb)) || fail "redirect's memory grew by $((peak - baseline)) kB (margin ${margin_kb} kB)"
echo PASS
