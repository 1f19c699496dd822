# Unpinned, the tracer may run SCHED_IDLE and move itself onto the program's CPU (the cost of
# a stop: engine/cpu_sharing.h). The program never sees it: its affinity mask and policy, and
# those of a child it forks, are what they would be natively, under any mask redirect was
# started with. And beside as many busy children as CPUs, the tracer has left SCHED_IDLE (it
# would otherwise wait hundreds of microseconds per stop for a time slice).
source "$(dirname "$0")/lib/common.bash"

cat >r.toml <<'TOML'
[[rule]]
name = "elsewhere"
syscalls = ["openat"]
match = '^/redirect-cpu-view-elsewhere(/.*)?$'
replace = '/nonexistent$1'
TOML

ncpu=$(nproc)
masks=("")
((ncpu >= 2)) && masks+=("0,1")
((ncpu >= 3)) && masks+=("1,2")
for mask in "${masks[@]}"; do
  pin=()
  [[ -n $mask ]] && pin=(taskset -c "$mask")
  run "${pin[@]}" "$TRACEES/cpu_view" 2000
  expect_ok "cpu_view natively${mask:+ on $mask}"
  native=$OUT
  for m in seccomp ptrace; do
    run "${pin[@]}" "$REDIRECT" --mode $m --rules r.toml "$TRACEES/cpu_view" 2000
    expect_ok "cpu_view${mask:+ on $mask}, --mode $m"
    expect_eq "the program's CPU view${mask:+ on $mask}, --mode $m" "$native" "$OUT"
  done
done

if ((ncpu >= 2)) && command -v taskset >/dev/null; then
  rd --rules r.toml "$TRACEES/cpu_view" 3000 hogs "$ncpu"
  expect_ok "cpu_view beside $ncpu busy children"
  [[ $OUT == *"beside $ncpu busy children, the tracer's policy: not SCHED_IDLE"* ]] ||
    fail "the tracer stayed SCHED_IDLE beside busy CPUs: $OUT"
fi
echo "cpu-placement: ok"
