# Fault injection: redirect is SIGKILLed at a random point of a busy run (three processes of two
# threads writing files through rewritten paths by temporary + rename, and a fourth forking and
# exec'ing). After each kill: no process of the run survives, alive or stopped
# (PTRACE_O_EXITKILL; a zombie waiting for init is dead); every file at a final name is complete
# (redirect never writes into the program's files, and rename's two rewritten paths are never
# mixed up); no file appears under a virtual name (a lost rewrite); and redirect's own file, its
# --log, holds only whole lines. HARDEN_KILL_ROUNDS rounds (6; `make stress` runs more).
source "$(dirname "$0")/lib/common.bash"

rounds=${HARDEN_KILL_ROUNDS:-6}

cat >r.toml <<TOML
# The rules name paths as the program writes them, relative ones included.
paths = "as-passed"

[[rule]]
name = "virtual"
syscalls = ["openat", "renameat"]
match = '^virt-(.*)$'
replace = '$WORK/real/\$1'
TOML
tag=HARDEN_KILL_TAG=$$.$RANDOM
tagged() {
  local f
  for f in $(grep -laF "$tag" /proc/[0-9]*/environ 2>/dev/null); do
    f=${f#/proc/}
    f=${f%/environ}
    is_dead "$f" || echo "$f ($(proc_state "$f"))"
  done
}
# A --log line: time, pid, (program name), syscall[arg], then the decision.
line_re='^[0-9:.]+ [0-9]+ \(.+\) [a-z0-9_]+(\[[0-9]\] (rewrite|deny|allow) .*| error: .*)$'

for ((round = 1; round <= rounds; round++)); do
  rm -rf real virt-* log
  mkdir real
  env "$tag" "$REDIRECT" --log log --rules r.toml "$TRACEES/harden_writer" run 2>err &
  rpid=$!
  CLEANUP_PIDS+=("$rpid")
  delay=$(printf '0.%03d' $((100 + RANDOM % 900)))
  sleep "$delay"
  kill -0 "$rpid" 2>/dev/null || fail "round $round: redirect ended by itself: $(cat err)"
  kill -KILL "$rpid"
  wait "$rpid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    [[ -z $(tagged) ]] && break
    sleep 0.05
  done
  left=$(tagged)
  [[ -z $left ]] || fail "round $round (killed after ${delay}s): tracees survived: $left"
  [[ ! -s err ]] || fail "round $round: the program failed: $(head -5 err)"
  run "$TRACEES/harden_writer" --check real
  expect_ok "round $round (killed after ${delay}s): files at their final names"
  files=$OUT
  strays=(virt-*)
  [[ ! -e ${strays[0]} ]] || fail "round $round: files under virtual names: ${strays[*]}"
  if [[ -s log ]]; then
    [[ $(tail -c1 log | od -An -c | tr -d ' ') == '\n' ]] ||
      fail "round $round: redirect's log ends in a partial line: $(tail -c 80 log)"
    bad=$(grep -cvE "$line_re" log || true)
    ((bad == 0)) || fail "round $round: $bad malformed log lines, e.g. $(grep -vE "$line_re" log | head -1)"
  fi
  echo "round $round: killed after ${delay}s; $files; $(wc -l <log) log lines"
done
echo PASS
